; obligation: kernel.encoding.objectPointerRoundTrip
; statement: an object address below 2^48 survives capPtr: stored and read back unchanged
; hypotheses and the negated goal: a proof is `unsat`.
; expect: unsat
; kernel.encoding.objectPointerRoundTrip
(set-info :status unknown)
(set-logic QF_BV)
(declare-fun pointer () (_ BitVec 64))
(declare-fun word () (_ BitVec 64))
(assert
 (bvule pointer (_ bv281474976710655 64)))
(assert
 (let ((?x0 (bvlshr (bvor (bvand word (_ bv18446462598732840960 64)) (bvshl (bvand pointer (_ bv281474976710655 64)) (_ bv0 64))) (_ bv0 64))))
 (let (($x1 (= (bvand ?x0 (_ bv281474976710655 64)) pointer)))
 (not $x1))))
(check-sat)
