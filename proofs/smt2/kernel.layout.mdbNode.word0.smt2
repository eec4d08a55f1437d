; obligation: kernel.layout.mdbNode.word0
; statement: mdb_node[0]: every field round-trips and no two fields share a bit
; hypotheses and the negated goal: a proof is `unsat`.
; expect: unsat
; kernel.layout.mdbNode.word0
(set-info :status unknown)
(set-logic QF_BV)
(declare-fun mdbPrev () (_ BitVec 64))
(declare-fun word () (_ BitVec 64))
(assert
 (let ((?x0 (bvand mdbPrev (_ bv18446744073709551615 64))))
 (let ((?x1 (bvand (bvlshr (bvor (bvand word (_ bv0 64)) (bvshl ?x0 (_ bv0 64))) (_ bv0 64)) (_ bv18446744073709551615 64))))
 (let ((?x2 (bvand word (_ bv0 64))))
 (let (($x3 (and (= (bvand (bvor ?x2 (bvshl ?x0 (_ bv0 64))) (_ bv0 64)) ?x2) (= ?x1 ?x0))))
 (not $x3))))))
(check-sat)
