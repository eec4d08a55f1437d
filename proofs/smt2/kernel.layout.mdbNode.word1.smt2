; obligation: kernel.layout.mdbNode.word1
; statement: mdb_node[1]: every field round-trips and no two fields share a bit
; hypotheses and the negated goal: a proof is `unsat`.
; expect: unsat
; kernel.layout.mdbNode.word1
(set-info :status unknown)
(set-logic QF_BV)
(declare-fun mdbFirstBadged () (_ BitVec 64))
(declare-fun mdbRevocable () (_ BitVec 64))
(declare-fun mdbNext () (_ BitVec 64))
(declare-fun word () (_ BitVec 64))
(assert
 (let ((?x0 (bvand mdbFirstBadged (_ bv1 64))))
 (let ((?x1 (bvand (bvor (bvand word (_ bv18446462598732840963 64)) (bvshl (bvand mdbNext (_ bv70368744177663 64)) (_ bv2 64))) (_ bv18446744073709551613 64))))
 (let ((?x2 (bvor (bvand (bvor ?x1 (bvshl (bvand mdbRevocable (_ bv1 64)) (_ bv1 64))) (_ bv18446744073709551614 64)) (bvshl ?x0 (_ bv0 64)))))
 (let (($x3 (and (= (bvand ?x2 (_ bv18446462598732840960 64)) (bvand word (_ bv18446462598732840960 64))) (= (bvand (bvlshr ?x2 (_ bv2 64)) (_ bv70368744177663 64)) (bvand mdbNext (_ bv70368744177663 64))))))
 (let (($x4 (and $x3 (= (bvand (bvlshr ?x2 (_ bv1 64)) (_ bv1 64)) (bvand mdbRevocable (_ bv1 64))))))
 (let (($x5 (and $x4 (= (bvand (bvlshr ?x2 (_ bv0 64)) (_ bv1 64)) ?x0))))
 (not $x5))))))))
(check-sat)
