; obligation: kernel.encoding.freeIndexRoundTrip
; statement: a 16-byte-aligned free index up to 2^47 survives the 16-byte-unit encoding
; hypotheses and the negated goal: a proof is `unsat`.
; expect: unsat
; kernel.encoding.freeIndexRoundTrip
(set-info :status unknown)
(set-logic QF_BV)
(declare-fun freeIndexBytes () (_ BitVec 64))
(assert
 (bvule freeIndexBytes (_ bv140737488355328 64)))
(assert
 (= (bvand freeIndexBytes (_ bv15 64)) (_ bv0 64)))
(assert
 (let ((?x0 (bvor (_ bv0 64) (bvshl (bvand (bvlshr (bvadd freeIndexBytes (_ bv15 64)) (_ bv4 64)) (_ bv281474976710655 64)) (_ bv16 64)))))
 (let (($x1 (= (bvshl (bvand (bvlshr ?x0 (_ bv16 64)) (_ bv281474976710655 64)) (_ bv4 64)) freeIndexBytes)))
 (not $x1))))
(check-sat)
