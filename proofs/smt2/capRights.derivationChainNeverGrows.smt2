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
 (let ((?x89 (bvor (_ bv0 64) (bvshl (bvand (bvand (bvlshr secondMask (_ bv0 64)) (_ bv1 64)) (_ bv1 64)) (_ bv0 64)))))
 (let ((?x95 (bvor (bvand ?x89 (_ bv18446744073709551613 64)) (bvshl (bvand (bvand (bvlshr secondMask (_ bv1 64)) (_ bv1 64)) (_ bv1 64)) (_ bv1 64)))))
 (let ((?x101 (bvor (bvand ?x95 (_ bv18446744073709551611 64)) (bvshl (bvand (bvand (bvlshr secondMask (_ bv2 64)) (_ bv1 64)) (_ bv1 64)) (_ bv2 64)))))
 (let ((?x107 (bvor (bvand ?x101 (_ bv18446744073709551607 64)) (bvshl (bvand (bvand (bvlshr secondMask (_ bv3 64)) (_ bv1 64)) (_ bv1 64)) (_ bv3 64)))))
 (let ((?x42 (bvor (_ bv0 64) (bvshl (bvand (bvand (bvlshr firstMask (_ bv0 64)) (_ bv1 64)) (_ bv1 64)) (_ bv0 64)))))
 (let ((?x48 (bvor (bvand ?x42 (_ bv18446744073709551613 64)) (bvshl (bvand (bvand (bvlshr firstMask (_ bv1 64)) (_ bv1 64)) (_ bv1 64)) (_ bv1 64)))))
 (let ((?x54 (bvor (bvand ?x48 (_ bv18446744073709551611 64)) (bvshl (bvand (bvand (bvlshr firstMask (_ bv2 64)) (_ bv1 64)) (_ bv1 64)) (_ bv2 64)))))
 (let ((?x60 (bvor (bvand ?x54 (_ bv18446744073709551607 64)) (bvshl (bvand (bvand (bvlshr firstMask (_ bv3 64)) (_ bv1 64)) (_ bv1 64)) (_ bv3 64)))))
 (let ((?x14 (bvor (_ bv0 64) (bvshl (bvand (bvand (bvlshr rights (_ bv0 64)) (_ bv1 64)) (_ bv1 64)) (_ bv0 64)))))
 (let ((?x21 (bvor (bvand ?x14 (_ bv18446744073709551613 64)) (bvshl (bvand (bvand (bvlshr rights (_ bv1 64)) (_ bv1 64)) (_ bv1 64)) (_ bv1 64)))))
 (let ((?x29 (bvor (bvand ?x21 (_ bv18446744073709551611 64)) (bvshl (bvand (bvand (bvlshr rights (_ bv2 64)) (_ bv1 64)) (_ bv1 64)) (_ bv2 64)))))
 (let ((?x37 (bvor (bvand ?x29 (_ bv18446744073709551607 64)) (bvshl (bvand (bvand (bvlshr rights (_ bv3 64)) (_ bv1 64)) (_ bv1 64)) (_ bv3 64)))))
 (let ((?x61 (bvand ?x37 ?x60)))
 (let ((?x69 (bvand (bvor (_ bv0 64) (bvshl (bvand (bvand (bvlshr ?x61 (_ bv0 64)) (_ bv1 64)) (_ bv1 64)) (_ bv0 64))) (_ bv18446744073709551613 64))))
 (let ((?x75 (bvand (bvor ?x69 (bvshl (bvand (bvand (bvlshr ?x61 (_ bv1 64)) (_ bv1 64)) (_ bv1 64)) (_ bv1 64))) (_ bv18446744073709551611 64))))
 (let ((?x81 (bvand (bvor ?x75 (bvshl (bvand (bvand (bvlshr ?x61 (_ bv2 64)) (_ bv1 64)) (_ bv1 64)) (_ bv2 64))) (_ bv18446744073709551607 64))))
 (let ((?x108 (bvand (bvor ?x81 (bvshl (bvand (bvand (bvlshr ?x61 (_ bv3 64)) (_ bv1 64)) (_ bv1 64)) (_ bv3 64))) ?x107)))
 (let (($x112 (= (bvand ?x108 (bvnot (bvand ?x61 ?x107))) (_ bv0 64))))
 (not $x112))))))))))))))))))))
(check-sat)
