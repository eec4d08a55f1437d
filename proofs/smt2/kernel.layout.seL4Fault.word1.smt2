; obligation: kernel.layout.seL4Fault.word1
; statement: seL4_Fault[1]: every field round-trips and no two fields share a bit
; hypotheses and the negated goal: a proof is `unsat`.
; expect: unsat
; kernel.layout.seL4Fault.word1
(set-info :status unknown)
(set-logic QF_BV)
(declare-fun seL4_FaultType () (_ BitVec 64))
(declare-fun inReceivePhase () (_ BitVec 64))
(declare-fun word () (_ BitVec 64))
(assert
 (let ((?x0 (bvand seL4_FaultType (_ bv15 64))))
 (let ((?x1 (bvand (bvor (bvand word (_ bv9223372036854775807 64)) (bvshl (bvand inReceivePhase (_ bv1 64)) (_ bv63 64))) (_ bv18446744073709551600 64))))
 (let ((?x2 (bvor ?x1 (bvshl ?x0 (_ bv0 64)))))
 (let (($x3 (and (= (bvand ?x2 (_ bv9223372036854775792 64)) (bvand word (_ bv9223372036854775792 64))) (= (bvand (bvlshr ?x2 (_ bv63 64)) (_ bv1 64)) (bvand inReceivePhase (_ bv1 64))))))
 (let (($x4 (and $x3 (= (bvand (bvlshr ?x2 (_ bv0 64)) (_ bv15 64)) ?x0))))
 (not $x4)))))))
(check-sat)
