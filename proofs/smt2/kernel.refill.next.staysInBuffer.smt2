; obligation: kernel.refill.next.staysInBuffer
; statement: refill_next of an index below refillMax is the next index modulo refillMax: index + 1, or 0 after refillMax − 1, so it stays below refillMax (any refillMax ≥ 1)
; hypotheses and the negated goal: a proof is `unsat`.
; expect: unsat
; kernel.refill.next.staysInBuffer
(set-info :status unknown)
(set-logic QF_BV)
(declare-fun refillMax () (_ BitVec 64))
(declare-fun index () (_ BitVec 64))
(assert
 (and (bvule (_ bv1 64) refillMax) (bvult index refillMax)))
(assert
 (let ((?x0 (bvadd index (_ bv1 64))))
 (let ((?x1 (ite (= index (bvsub refillMax (_ bv1 64))) (_ bv0 64) ?x0)))
 (let (($x2 (and (= ?x1 (ite (= ?x0 refillMax) (_ bv0 64) ?x0)) (bvult ?x1 refillMax))))
 (not $x2)))))
(check-sat)
