; obligation: capRights.maskIdempotent
; statement: masking twice with the same mask is masking once
; hypotheses and the negated goal: a proof is `unsat`.
; expect: unsat
; capRights.maskIdempotent
(set-info :status unknown)
(set-logic QF_BV)
(declare-fun mask () (_ BitVec 64))
(declare-fun rights () (_ BitVec 64))
(assert
 (let ((?x41 (bvor (_ bv0 64) (bvshl (bvand (bvand (bvlshr mask (_ bv0 64)) (_ bv1 64)) (_ bv1 64)) (_ bv0 64)))))
 (let ((?x47 (bvor (bvand ?x41 (_ bv18446744073709551613 64)) (bvshl (bvand (bvand (bvlshr mask (_ bv1 64)) (_ bv1 64)) (_ bv1 64)) (_ bv1 64)))))
 (let ((?x53 (bvor (bvand ?x47 (_ bv18446744073709551611 64)) (bvshl (bvand (bvand (bvlshr mask (_ bv2 64)) (_ bv1 64)) (_ bv1 64)) (_ bv2 64)))))
 (let ((?x59 (bvor (bvand ?x53 (_ bv18446744073709551607 64)) (bvshl (bvand (bvand (bvlshr mask (_ bv3 64)) (_ bv1 64)) (_ bv1 64)) (_ bv3 64)))))
 (let ((?x13 (bvor (_ bv0 64) (bvshl (bvand (bvand (bvlshr rights (_ bv0 64)) (_ bv1 64)) (_ bv1 64)) (_ bv0 64)))))
 (let ((?x20 (bvor (bvand ?x13 (_ bv18446744073709551613 64)) (bvshl (bvand (bvand (bvlshr rights (_ bv1 64)) (_ bv1 64)) (_ bv1 64)) (_ bv1 64)))))
 (let ((?x28 (bvor (bvand ?x20 (_ bv18446744073709551611 64)) (bvshl (bvand (bvand (bvlshr rights (_ bv2 64)) (_ bv1 64)) (_ bv1 64)) (_ bv2 64)))))
 (let ((?x36 (bvor (bvand ?x28 (_ bv18446744073709551607 64)) (bvshl (bvand (bvand (bvlshr rights (_ bv3 64)) (_ bv1 64)) (_ bv1 64)) (_ bv3 64)))))
 (let ((?x60 (bvand ?x36 ?x59)))
 (let ((?x68 (bvand (bvor (_ bv0 64) (bvshl (bvand (bvand (bvlshr ?x60 (_ bv0 64)) (_ bv1 64)) (_ bv1 64)) (_ bv0 64))) (_ bv18446744073709551613 64))))
 (let ((?x74 (bvand (bvor ?x68 (bvshl (bvand (bvand (bvlshr ?x60 (_ bv1 64)) (_ bv1 64)) (_ bv1 64)) (_ bv1 64))) (_ bv18446744073709551611 64))))
 (let ((?x80 (bvand (bvor ?x74 (bvshl (bvand (bvand (bvlshr ?x60 (_ bv2 64)) (_ bv1 64)) (_ bv1 64)) (_ bv2 64))) (_ bv18446744073709551607 64))))
 (let ((?x84 (bvand (bvor ?x80 (bvshl (bvand (bvand (bvlshr ?x60 (_ bv3 64)) (_ bv1 64)) (_ bv1 64)) (_ bv3 64))) ?x59)))
 (let (($x85 (= ?x84 ?x60)))
 (not $x85))))))))))))))))
(check-sat)
