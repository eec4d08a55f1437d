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
 (let ((?x24 (bvand mdbFirstBadged (_ bv1 64))))
 (let ((?x16 (bvand (bvor (bvand word (_ bv18446462598732840963 64)) (bvshl (bvand mdbNext (_ bv70368744177663 64)) (_ bv2 64))) (_ bv18446744073709551613 64))))
 (let ((?x27 (bvor (bvand (bvor ?x16 (bvshl (bvand mdbRevocable (_ bv1 64)) (_ bv1 64))) (_ bv18446744073709551614 64)) (bvshl ?x24 (_ bv0 64)))))
 (let (($x35 (and (= (bvand ?x27 (_ bv18446462598732840960 64)) (bvand word (_ bv18446462598732840960 64))) (= (bvand (bvlshr ?x27 (_ bv2 64)) (_ bv70368744177663 64)) (bvand mdbNext (_ bv70368744177663 64))))))
 (let (($x39 (and $x35 (= (bvand (bvlshr ?x27 (_ bv1 64)) (_ bv1 64)) (bvand mdbRevocable (_ bv1 64))))))
 (let (($x43 (and $x39 (= (bvand (bvlshr ?x27 (_ bv0 64)) (_ bv1 64)) ?x24))))
 (not $x43))))))))
(check-sat)
