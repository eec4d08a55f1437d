; obligation: capRights.maskWithinMask
; statement: maskCapRights never keeps a right the mask does not allow
; hypotheses and the negated goal: a proof is `unsat`.
; expect: unsat
; capRights.maskWithinMask
(set-info :status unknown)
(set-logic QF_BV)
(declare-fun mask () (_ BitVec 64))
(declare-fun rights () (_ BitVec 64))
(assert
 (let ((?x0 (bvor (_ bv0 64) (bvshl (bvand (bvand (bvlshr mask (_ bv0 64)) (_ bv1 64)) (_ bv1 64)) (_ bv0 64)))))
 (let ((?x1 (bvor (bvand ?x0 (_ bv18446744073709551613 64)) (bvshl (bvand (bvand (bvlshr mask (_ bv1 64)) (_ bv1 64)) (_ bv1 64)) (_ bv1 64)))))
 (let ((?x2 (bvor (bvand ?x1 (_ bv18446744073709551611 64)) (bvshl (bvand (bvand (bvlshr mask (_ bv2 64)) (_ bv1 64)) (_ bv1 64)) (_ bv2 64)))))
 (let ((?x3 (bvor (bvand ?x2 (_ bv18446744073709551607 64)) (bvshl (bvand (bvand (bvlshr mask (_ bv3 64)) (_ bv1 64)) (_ bv1 64)) (_ bv3 64)))))
 (let ((?x4 (bvor (_ bv0 64) (bvshl (bvand (bvand (bvlshr rights (_ bv0 64)) (_ bv1 64)) (_ bv1 64)) (_ bv0 64)))))
 (let ((?x5 (bvor (bvand ?x4 (_ bv18446744073709551613 64)) (bvshl (bvand (bvand (bvlshr rights (_ bv1 64)) (_ bv1 64)) (_ bv1 64)) (_ bv1 64)))))
 (let ((?x6 (bvor (bvand ?x5 (_ bv18446744073709551611 64)) (bvshl (bvand (bvand (bvlshr rights (_ bv2 64)) (_ bv1 64)) (_ bv1 64)) (_ bv2 64)))))
 (let ((?x7 (bvor (bvand ?x6 (_ bv18446744073709551607 64)) (bvshl (bvand (bvand (bvlshr rights (_ bv3 64)) (_ bv1 64)) (_ bv1 64)) (_ bv3 64)))))
 (let (($x8 (= (bvand (bvand ?x7 ?x3) (bvnot ?x3)) (_ bv0 64))))
 (not $x8)))))))))))
(check-sat)
