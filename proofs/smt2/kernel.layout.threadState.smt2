; obligation: kernel.layout.threadState
; statement: thread_state: every field round-trips and no two fields share a bit
; hypotheses and the negated goal: a proof is `unsat`.
; expect: unsat
; kernel.layout.threadState
(set-info :status unknown)
(set-logic QF_BV)
(declare-fun tsType () (_ BitVec 64))
(declare-fun word () (_ BitVec 64))
(assert
 (let ((?x10 (bvand tsType (_ bv15 64))))
 (let ((?x17 (bvand (bvlshr (bvor (bvand word (_ bv18446744073709551600 64)) (bvshl ?x10 (_ bv0 64))) (_ bv0 64)) (_ bv15 64))))
 (let ((?x8 (bvand word (_ bv18446744073709551600 64))))
 (let (($x19 (and (= (bvand (bvor ?x8 (bvshl ?x10 (_ bv0 64))) (_ bv18446744073709551600 64)) ?x8) (= ?x17 ?x10))))
 (not $x19))))))
(check-sat)
