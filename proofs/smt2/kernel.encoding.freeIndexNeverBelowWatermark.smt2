; obligation: kernel.encoding.freeIndexNeverBelowWatermark
; statement: encoding any free index up to 2^47 rounds it up, never down: no used byte is handed out again
; hypotheses and the negated goal: a proof is `unsat`.
; expect: unsat
; kernel.encoding.freeIndexNeverBelowWatermark
(set-info :status unknown)
(set-logic QF_BV)
(declare-fun freeIndexBytes () (_ BitVec 64))
(assert
 (bvule freeIndexBytes (_ bv140737488355328 64)))
(assert
 (let ((?x0 (bvshl (bvlshr (bvadd freeIndexBytes (_ bv15 64)) (_ bv4 64)) (_ bv4 64))))
 (let (($x1 (and (bvule freeIndexBytes ?x0) (bvult (bvsub ?x0 freeIndexBytes) (_ bv16 64)))))
 (not $x1))))
(check-sat)
