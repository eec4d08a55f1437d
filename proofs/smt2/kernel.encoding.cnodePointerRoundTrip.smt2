; obligation: kernel.encoding.cnodePointerRoundTrip
; statement: a CNode address below 2^48 (even) survives being stored shifted right by one
; hypotheses and the negated goal: a proof is `unsat`.
; expect: unsat
; kernel.encoding.cnodePointerRoundTrip
(set-info :status unknown)
(set-logic QF_BV)
(declare-fun pointer () (_ BitVec 64))
(declare-fun word () (_ BitVec 64))
(assert
 (bvule pointer (_ bv281474976710655 64)))
(assert
 (= (bvand pointer (_ bv1 64)) (_ bv0 64)))
(assert
 (let ((?x0 (bvor (bvand word (_ bv18446603336221196288 64)) (bvshl (bvand (bvlshr pointer (_ bv1 64)) (_ bv140737488355327 64)) (_ bv0 64)))))
 (let (($x1 (= (bvshl (bvand (bvlshr ?x0 (_ bv0 64)) (_ bv140737488355327 64)) (_ bv1 64)) pointer)))
 (not $x1))))
(check-sat)
