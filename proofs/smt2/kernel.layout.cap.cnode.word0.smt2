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
 (let ((?x33 (bvand capCNodePtr (_ bv140737488355327 64))))
 (let ((?x16 (bvand (bvor (bvand word (_ bv576460752303423487 64)) (bvshl (bvand capType (_ bv31 64)) (_ bv59 64))) (_ bv17879290520660869119 64))))
 (let ((?x28 (bvor (bvand (bvor ?x16 (bvshl (bvand capCNodeGuardSize (_ bv63 64)) (_ bv53 64))) (_ bv18437877611943165951 64)) (bvshl (bvand capCNodeRadix (_ bv63 64)) (_ bv47 64)))))
 (let ((?x36 (bvor (bvand ?x28 (_ bv18446603336221196288 64)) (bvshl ?x33 (_ bv0 64)))))
 (let (($x43 (and (= (bvand ?x36 (_ bv0 64)) (bvand word (_ bv0 64))) (= (bvand (bvlshr ?x36 (_ bv59 64)) (_ bv31 64)) (bvand capType (_ bv31 64))))))
 (let (($x47 (and $x43 (= (bvand (bvlshr ?x36 (_ bv53 64)) (_ bv63 64)) (bvand capCNodeGuardSize (_ bv63 64))))))
 (let (($x51 (and $x47 (= (bvand (bvlshr ?x36 (_ bv47 64)) (_ bv63 64)) (bvand capCNodeRadix (_ bv63 64))))))
 (let (($x55 (and $x51 (= (bvand (bvlshr ?x36 (_ bv0 64)) (_ bv140737488355327 64)) ?x33))))
 (not $x55))))))))))
(check-sat)
