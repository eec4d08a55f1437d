; obligation: messageInfo.label.roundTrip
; statement: reading label from a packed message-info word gives back the value packed (any in-range inputs)
; hypotheses and the negated goal: a proof is `unsat`.
; expect: unsat
; messageInfo.label.roundTrip
(set-info :status unknown)
(set-logic QF_BV)
(declare-fun label () (_ BitVec 64))
(declare-fun capsUnwrapped () (_ BitVec 64))
(declare-fun extraCaps () (_ BitVec 64))
(declare-fun length () (_ BitVec 64))
(assert
 (bvule label (_ bv4503599627370495 64)))
(assert
 (bvule capsUnwrapped (_ bv7 64)))
(assert
 (bvule extraCaps (_ bv3 64)))
(assert
 (bvule length (_ bv120 64)))
(assert
 (let ((?x0 (bvor (bvand (bvor (_ bv0 64) (bvshl (bvand label (_ bv4503599627370495 64)) (_ bv12 64))) (_ bv18446744073709548031 64)) (bvshl (bvand capsUnwrapped (_ bv7 64)) (_ bv9 64)))))
 (let ((?x1 (bvand (bvor (bvand ?x0 (_ bv18446744073709551231 64)) (bvshl (bvand extraCaps (_ bv3 64)) (_ bv7 64))) (_ bv18446744073709551488 64))))
 (let ((?x2 (bvand (bvlshr (bvor ?x1 (bvshl (bvand length (_ bv127 64)) (_ bv0 64))) (_ bv12 64)) (_ bv4503599627370495 64))))
 (let (($x3 (= ?x2 label)))
 (not $x3))))))
(check-sat)
