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
 (let ((?x42 (bvor (_ bv0 64) (bvshl (bvand (bvand (bvlshr largeMask (_ bv0 64)) (_ bv1 64)) (_ bv1 64)) (_ bv0 64)))))
 (let ((?x48 (bvor (bvand ?x42 (_ bv18446744073709551613 64)) (bvshl (bvand (bvand (bvlshr largeMask (_ bv1 64)) (_ bv1 64)) (_ bv1 64)) (_ bv1 64)))))
 (let ((?x54 (bvor (bvand ?x48 (_ bv18446744073709551611 64)) (bvshl (bvand (bvand (bvlshr largeMask (_ bv2 64)) (_ bv1 64)) (_ bv1 64)) (_ bv2 64)))))
 (let ((?x60 (bvor (bvand ?x54 (_ bv18446744073709551607 64)) (bvshl (bvand (bvand (bvlshr largeMask (_ bv3 64)) (_ bv1 64)) (_ bv1 64)) (_ bv3 64)))))
 (let ((?x14 (bvor (_ bv0 64) (bvshl (bvand (bvand (bvlshr smallMask (_ bv0 64)) (_ bv1 64)) (_ bv1 64)) (_ bv0 64)))))
 (let ((?x21 (bvor (bvand ?x14 (_ bv18446744073709551613 64)) (bvshl (bvand (bvand (bvlshr smallMask (_ bv1 64)) (_ bv1 64)) (_ bv1 64)) (_ bv1 64)))))
 (let ((?x29 (bvor (bvand ?x21 (_ bv18446744073709551611 64)) (bvshl (bvand (bvand (bvlshr smallMask (_ bv2 64)) (_ bv1 64)) (_ bv1 64)) (_ bv2 64)))))
 (let ((?x37 (bvor (bvand ?x29 (_ bv18446744073709551607 64)) (bvshl (bvand (bvand (bvlshr smallMask (_ bv3 64)) (_ bv1 64)) (_ bv1 64)) (_ bv3 64)))))
 (= (bvand ?x37 (bvnot ?x60)) (_ bv0 64)))))))))))
(assert
 (let ((?x42 (bvor (_ bv0 64) (bvshl (bvand (bvand (bvlshr largeMask (_ bv0 64)) (_ bv1 64)) (_ bv1 64)) (_ bv0 64)))))
 (let ((?x48 (bvor (bvand ?x42 (_ bv18446744073709551613 64)) (bvshl (bvand (bvand (bvlshr largeMask (_ bv1 64)) (_ bv1 64)) (_ bv1 64)) (_ bv1 64)))))
 (let ((?x54 (bvor (bvand ?x48 (_ bv18446744073709551611 64)) (bvshl (bvand (bvand (bvlshr largeMask (_ bv2 64)) (_ bv1 64)) (_ bv1 64)) (_ bv2 64)))))
 (let ((?x60 (bvor (bvand ?x54 (_ bv18446744073709551607 64)) (bvshl (bvand (bvand (bvlshr largeMask (_ bv3 64)) (_ bv1 64)) (_ bv1 64)) (_ bv3 64)))))
 (let ((?x68 (bvor (_ bv0 64) (bvshl (bvand (bvand (bvlshr rights (_ bv0 64)) (_ bv1 64)) (_ bv1 64)) (_ bv0 64)))))
 (let ((?x74 (bvor (bvand ?x68 (_ bv18446744073709551613 64)) (bvshl (bvand (bvand (bvlshr rights (_ bv1 64)) (_ bv1 64)) (_ bv1 64)) (_ bv1 64)))))
 (let ((?x80 (bvor (bvand ?x74 (_ bv18446744073709551611 64)) (bvshl (bvand (bvand (bvlshr rights (_ bv2 64)) (_ bv1 64)) (_ bv1 64)) (_ bv2 64)))))
 (let ((?x86 (bvor (bvand ?x80 (_ bv18446744073709551607 64)) (bvshl (bvand (bvand (bvlshr rights (_ bv3 64)) (_ bv1 64)) (_ bv1 64)) (_ bv3 64)))))
 (let ((?x14 (bvor (_ bv0 64) (bvshl (bvand (bvand (bvlshr smallMask (_ bv0 64)) (_ bv1 64)) (_ bv1 64)) (_ bv0 64)))))
 (let ((?x21 (bvor (bvand ?x14 (_ bv18446744073709551613 64)) (bvshl (bvand (bvand (bvlshr smallMask (_ bv1 64)) (_ bv1 64)) (_ bv1 64)) (_ bv1 64)))))
 (let ((?x29 (bvor (bvand ?x21 (_ bv18446744073709551611 64)) (bvshl (bvand (bvand (bvlshr smallMask (_ bv2 64)) (_ bv1 64)) (_ bv1 64)) (_ bv2 64)))))
 (let ((?x37 (bvor (bvand ?x29 (_ bv18446744073709551607 64)) (bvshl (bvand (bvand (bvlshr smallMask (_ bv3 64)) (_ bv1 64)) (_ bv1 64)) (_ bv3 64)))))
 (let (($x91 (= (bvand (bvand ?x86 ?x37) (bvnot (bvand ?x86 ?x60))) (_ bv0 64))))
 (not $x91)))))))))))))))
(check-sat)
