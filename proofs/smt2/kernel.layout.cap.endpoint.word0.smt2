; obligation: kernel.layout.cap.endpoint.word0
; statement: endpoint_cap[0]: every field round-trips and no two fields share a bit
; hypotheses and the negated goal: a proof is `unsat`.
; expect: unsat
; kernel.layout.cap.endpoint.word0
(set-info :status unknown)
(set-logic QF_BV)
(declare-fun capPtr () (_ BitVec 64))
(declare-fun capRights () (_ BitVec 64))
(declare-fun capType () (_ BitVec 64))
(declare-fun word () (_ BitVec 64))
(assert
 (let ((?x0 (bvand capPtr (_ bv281474976710655 64))))
 (let ((?x1 (bvand (bvor (bvand word (_ bv576460752303423487 64)) (bvshl (bvand capType (_ bv31 64)) (_ bv59 64))) (_ bv17906312118425092095 64))))
 (let ((?x2 (bvor (bvand (bvor ?x1 (bvshl (bvand capRights (_ bv15 64)) (_ bv55 64))) (_ bv18446462598732840960 64)) (bvshl ?x0 (_ bv0 64)))))
 (let (($x3 (and (= (bvand ?x2 (_ bv35747322042253312 64)) (bvand word (_ bv35747322042253312 64))) (= (bvand (bvlshr ?x2 (_ bv59 64)) (_ bv31 64)) (bvand capType (_ bv31 64))))))
 (let (($x4 (and $x3 (= (bvand (bvlshr ?x2 (_ bv55 64)) (_ bv15 64)) (bvand capRights (_ bv15 64))))))
 (let (($x5 (and $x4 (= (bvand (bvlshr ?x2 (_ bv0 64)) (_ bv281474976710655 64)) ?x0))))
 (not $x5))))))))
(check-sat)
