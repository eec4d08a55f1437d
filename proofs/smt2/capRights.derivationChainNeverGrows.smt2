; obligation: capRights.derivationChainNeverGrows
; statement: any two successive masks leave no right outside the original capability's or either mask
; hypotheses and the negated goal: a proof is `unsat`.
; expect: unsat
; capRights.derivationChainNeverGrows
(set-info :status unknown)
(set-logic QF_BV)
(declare-fun secondMask () (_ BitVec 64))
(declare-fun firstMask () (_ BitVec 64))
(declare-fun rights () (_ BitVec 64))
(assert
 (let ((?x0 (bvor (_ bv0 64) (bvshl (bvand (bvand (bvlshr secondMask (_ bv0 64)) (_ bv1 64)) (_ bv1 64)) (_ bv0 64)))))
 (let ((?x1 (bvor (bvand ?x0 (_ bv18446744073709551613 64)) (bvshl (bvand (bvand (bvlshr secondMask (_ bv1 64)) (_ bv1 64)) (_ bv1 64)) (_ bv1 64)))))
 (let ((?x2 (bvor (bvand ?x1 (_ bv18446744073709551611 64)) (bvshl (bvand (bvand (bvlshr secondMask (_ bv2 64)) (_ bv1 64)) (_ bv1 64)) (_ bv2 64)))))
 (let ((?x3 (bvor (bvand ?x2 (_ bv18446744073709551607 64)) (bvshl (bvand (bvand (bvlshr secondMask (_ bv3 64)) (_ bv1 64)) (_ bv1 64)) (_ bv3 64)))))
 (let ((?x4 (bvor (_ bv0 64) (bvshl (bvand (bvand (bvlshr firstMask (_ bv0 64)) (_ bv1 64)) (_ bv1 64)) (_ bv0 64)))))
 (let ((?x5 (bvor (bvand ?x4 (_ bv18446744073709551613 64)) (bvshl (bvand (bvand (bvlshr firstMask (_ bv1 64)) (_ bv1 64)) (_ bv1 64)) (_ bv1 64)))))
 (let ((?x6 (bvor (bvand ?x5 (_ bv18446744073709551611 64)) (bvshl (bvand (bvand (bvlshr firstMask (_ bv2 64)) (_ bv1 64)) (_ bv1 64)) (_ bv2 64)))))
 (let ((?x7 (bvor (bvand ?x6 (_ bv18446744073709551607 64)) (bvshl (bvand (bvand (bvlshr firstMask (_ bv3 64)) (_ bv1 64)) (_ bv1 64)) (_ bv3 64)))))
 (let ((?x8 (bvor (_ bv0 64) (bvshl (bvand (bvand (bvlshr rights (_ bv0 64)) (_ bv1 64)) (_ bv1 64)) (_ bv0 64)))))
 (let ((?x9 (bvor (bvand ?x8 (_ bv18446744073709551613 64)) (bvshl (bvand (bvand (bvlshr rights (_ bv1 64)) (_ bv1 64)) (_ bv1 64)) (_ bv1 64)))))
 (let ((?x10 (bvor (bvand ?x9 (_ bv18446744073709551611 64)) (bvshl (bvand (bvand (bvlshr rights (_ bv2 64)) (_ bv1 64)) (_ bv1 64)) (_ bv2 64)))))
 (let ((?x11 (bvor (bvand ?x10 (_ bv18446744073709551607 64)) (bvshl (bvand (bvand (bvlshr rights (_ bv3 64)) (_ bv1 64)) (_ bv1 64)) (_ bv3 64)))))
 (let ((?x12 (bvand ?x11 ?x7)))
 (let ((?x13 (bvand (bvor (_ bv0 64) (bvshl (bvand (bvand (bvlshr ?x12 (_ bv0 64)) (_ bv1 64)) (_ bv1 64)) (_ bv0 64))) (_ bv18446744073709551613 64))))
 (let ((?x14 (bvand (bvor ?x13 (bvshl (bvand (bvand (bvlshr ?x12 (_ bv1 64)) (_ bv1 64)) (_ bv1 64)) (_ bv1 64))) (_ bv18446744073709551611 64))))
 (let ((?x15 (bvand (bvor ?x14 (bvshl (bvand (bvand (bvlshr ?x12 (_ bv2 64)) (_ bv1 64)) (_ bv1 64)) (_ bv2 64))) (_ bv18446744073709551607 64))))
 (let ((?x16 (bvand (bvor ?x15 (bvshl (bvand (bvand (bvlshr ?x12 (_ bv3 64)) (_ bv1 64)) (_ bv1 64)) (_ bv3 64))) ?x3)))
 (let (($x17 (= (bvand ?x16 (bvnot (bvand ?x12 ?x3))) (_ bv0 64))))
 (not $x17))))))))))))))))))))
(check-sat)
