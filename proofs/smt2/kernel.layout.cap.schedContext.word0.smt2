; obligation: kernel.layout.cap.schedContext.word0
; statement: sched_context_cap[0]: every field round-trips and no two fields share a bit
; hypotheses and the negated goal: a proof is `unsat`.
; expect: unsat
; kernel.layout.cap.schedContext.word0
(set-info :status unknown)
(set-logic QF_BV)
(declare-fun capPtr () (_ BitVec 64))
(declare-fun capSCSizeBits () (_ BitVec 64))
(declare-fun capType () (_ BitVec 64))
(declare-fun word () (_ BitVec 64))
(assert
 (let ((?x26 (bvand capPtr (_ bv281474976710655 64))))
 (let ((?x16 (bvand (bvor (bvand word (_ bv576460752303423487 64)) (bvshl (bvand capType (_ bv31 64)) (_ bv59 64))) (_ bv17879290520660869119 64))))
 (let ((?x29 (bvor (bvand (bvor ?x16 (bvshl (bvand capSCSizeBits (_ bv63 64)) (_ bv53 64))) (_ bv18446462598732840960 64)) (bvshl ?x26 (_ bv0 64)))))
 (let (($x37 (and (= (bvand ?x29 (_ bv8725724278030336 64)) (bvand word (_ bv8725724278030336 64))) (= (bvand (bvlshr ?x29 (_ bv59 64)) (_ bv31 64)) (bvand capType (_ bv31 64))))))
 (let (($x41 (and $x37 (= (bvand (bvlshr ?x29 (_ bv53 64)) (_ bv63 64)) (bvand capSCSizeBits (_ bv63 64))))))
 (let (($x45 (and $x41 (= (bvand (bvlshr ?x29 (_ bv0 64)) (_ bv281474976710655 64)) ?x26))))
 (not $x45))))))))
(check-sat)
