; obligation: kernel.layout.cap.cnode.word0
; statement: cnode_cap[0]: every field round-trips and no two fields share a bit
; hypotheses and the negated goal: a proof is `unsat`.
; expect: unsat
; kernel.layout.cap.cnode.word0
(set-info :status unknown)
(set-logic QF_BV)
(declare-fun capCNodePtr () (_ BitVec 64))
(declare-fun capCNodeRadix () (_ BitVec 64))
(declare-fun capCNodeGuardSize () (_ BitVec 64))
(declare-fun capType () (_ BitVec 64))
(declare-fun word () (_ BitVec 64))
(assert
 (let ((?x0 (bvand capCNodePtr (_ bv140737488355327 64))))
 (let ((?x1 (bvand (bvor (bvand word (_ bv576460752303423487 64)) (bvshl (bvand capType (_ bv31 64)) (_ bv59 64))) (_ bv17879290520660869119 64))))
 (let ((?x2 (bvor (bvand (bvor ?x1 (bvshl (bvand capCNodeGuardSize (_ bv63 64)) (_ bv53 64))) (_ bv18437877611943165951 64)) (bvshl (bvand capCNodeRadix (_ bv63 64)) (_ bv47 64)))))
 (let ((?x3 (bvor (bvand ?x2 (_ bv18446603336221196288 64)) (bvshl ?x0 (_ bv0 64)))))
 (let (($x4 (and (= (bvand ?x3 (_ bv0 64)) (bvand word (_ bv0 64))) (= (bvand (bvlshr ?x3 (_ bv59 64)) (_ bv31 64)) (bvand capType (_ bv31 64))))))
 (let (($x5 (and $x4 (= (bvand (bvlshr ?x3 (_ bv53 64)) (_ bv63 64)) (bvand capCNodeGuardSize (_ bv63 64))))))
 (let (($x6 (and $x5 (= (bvand (bvlshr ?x3 (_ bv47 64)) (_ bv63 64)) (bvand capCNodeRadix (_ bv63 64))))))
 (let (($x7 (and $x6 (= (bvand (bvlshr ?x3 (_ bv0 64)) (_ bv140737488355327 64)) ?x0))))
 (not $x7))))))))))
(check-sat)
