; obligation: capRights.maskMonotone
; statement: a smaller mask never leaves more rights than a larger one
; hypotheses and the negated goal: a proof is `unsat`.
; expect: unsat
; capRights.maskMonotone
(set-info :status unknown)
(set-logic QF_BV)
(declare-fun largeMask () (_ BitVec 64))
(declare-fun smallMask () (_ BitVec 64))
(declare-fun rights () (_ BitVec 64))
(assert
 (let ((?x0 (bvor (_ bv0 64) (bvshl (bvand (bvand (bvlshr largeMask (_ bv0 64)) (_ bv1 64)) (_ bv1 64)) (_ bv0 64)))))
 (let ((?x1 (bvor (bvand ?x0 (_ bv18446744073709551613 64)) (bvshl (bvand (bvand (bvlshr largeMask (_ bv1 64)) (_ bv1 64)) (_ bv1 64)) (_ bv1 64)))))
 (let ((?x2 (bvor (bvand ?x1 (_ bv18446744073709551611 64)) (bvshl (bvand (bvand (bvlshr largeMask (_ bv2 64)) (_ bv1 64)) (_ bv1 64)) (_ bv2 64)))))
 (let ((?x3 (bvor (bvand ?x2 (_ bv18446744073709551607 64)) (bvshl (bvand (bvand (bvlshr largeMask (_ bv3 64)) (_ bv1 64)) (_ bv1 64)) (_ bv3 64)))))
 (let ((?x4 (bvor (_ bv0 64) (bvshl (bvand (bvand (bvlshr smallMask (_ bv0 64)) (_ bv1 64)) (_ bv1 64)) (_ bv0 64)))))
 (let ((?x5 (bvor (bvand ?x4 (_ bv18446744073709551613 64)) (bvshl (bvand (bvand (bvlshr smallMask (_ bv1 64)) (_ bv1 64)) (_ bv1 64)) (_ bv1 64)))))
 (let ((?x6 (bvor (bvand ?x5 (_ bv18446744073709551611 64)) (bvshl (bvand (bvand (bvlshr smallMask (_ bv2 64)) (_ bv1 64)) (_ bv1 64)) (_ bv2 64)))))
 (let ((?x7 (bvor (bvand ?x6 (_ bv18446744073709551607 64)) (bvshl (bvand (bvand (bvlshr smallMask (_ bv3 64)) (_ bv1 64)) (_ bv1 64)) (_ bv3 64)))))
 (= (bvand ?x7 (bvnot ?x3)) (_ bv0 64)))))))))))
(assert
 (let ((?x0 (bvor (_ bv0 64) (bvshl (bvand (bvand (bvlshr largeMask (_ bv0 64)) (_ bv1 64)) (_ bv1 64)) (_ bv0 64)))))
 (let ((?x1 (bvor (bvand ?x0 (_ bv18446744073709551613 64)) (bvshl (bvand (bvand (bvlshr largeMask (_ bv1 64)) (_ bv1 64)) (_ bv1 64)) (_ bv1 64)))))
 (let ((?x2 (bvor (bvand ?x1 (_ bv18446744073709551611 64)) (bvshl (bvand (bvand (bvlshr largeMask (_ bv2 64)) (_ bv1 64)) (_ bv1 64)) (_ bv2 64)))))
 (let ((?x3 (bvor (bvand ?x2 (_ bv18446744073709551607 64)) (bvshl (bvand (bvand (bvlshr largeMask (_ bv3 64)) (_ bv1 64)) (_ bv1 64)) (_ bv3 64)))))
 (let ((?x8 (bvor (_ bv0 64) (bvshl (bvand (bvand (bvlshr rights (_ bv0 64)) (_ bv1 64)) (_ bv1 64)) (_ bv0 64)))))
 (let ((?x9 (bvor (bvand ?x8 (_ bv18446744073709551613 64)) (bvshl (bvand (bvand (bvlshr rights (_ bv1 64)) (_ bv1 64)) (_ bv1 64)) (_ bv1 64)))))
 (let ((?x10 (bvor (bvand ?x9 (_ bv18446744073709551611 64)) (bvshl (bvand (bvand (bvlshr rights (_ bv2 64)) (_ bv1 64)) (_ bv1 64)) (_ bv2 64)))))
 (let ((?x11 (bvor (bvand ?x10 (_ bv18446744073709551607 64)) (bvshl (bvand (bvand (bvlshr rights (_ bv3 64)) (_ bv1 64)) (_ bv1 64)) (_ bv3 64)))))
 (let ((?x4 (bvor (_ bv0 64) (bvshl (bvand (bvand (bvlshr smallMask (_ bv0 64)) (_ bv1 64)) (_ bv1 64)) (_ bv0 64)))))
 (let ((?x5 (bvor (bvand ?x4 (_ bv18446744073709551613 64)) (bvshl (bvand (bvand (bvlshr smallMask (_ bv1 64)) (_ bv1 64)) (_ bv1 64)) (_ bv1 64)))))
 (let ((?x6 (bvor (bvand ?x5 (_ bv18446744073709551611 64)) (bvshl (bvand (bvand (bvlshr smallMask (_ bv2 64)) (_ bv1 64)) (_ bv1 64)) (_ bv2 64)))))
 (let ((?x7 (bvor (bvand ?x6 (_ bv18446744073709551607 64)) (bvshl (bvand (bvand (bvlshr smallMask (_ bv3 64)) (_ bv1 64)) (_ bv1 64)) (_ bv3 64)))))
 (let (($x12 (= (bvand (bvand ?x11 ?x7) (bvnot (bvand ?x11 ?x3))) (_ bv0 64))))
 (not $x12)))))))))))))))
(check-sat)
