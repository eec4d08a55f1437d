; obligation: kernel.layout.cap.schedControl.word1
; statement: sched_control_cap[1]: every field round-trips and no two fields share a bit
; hypotheses and the negated goal: a proof is `unsat`.
; expect: unsat
; kernel.layout.cap.schedControl.word1
(set-info :status unknown)
(set-logic QF_BV)
(declare-fun capCore () (_ BitVec 64))
(declare-fun word () (_ BitVec 64))
(assert
 (let ((?x0 (bvand capCore (_ bv18446744073709551615 64))))
 (let ((?x1 (bvand (bvlshr (bvor (bvand word (_ bv0 64)) (bvshl ?x0 (_ bv0 64))) (_ bv0 64)) (_ bv18446744073709551615 64))))
 (let ((?x2 (bvand word (_ bv0 64))))
 (let (($x3 (and (= (bvand (bvor ?x2 (bvshl ?x0 (_ bv0 64))) (_ bv0 64)) ?x2) (= ?x1 ?x0))))
 (not $x3))))))
(check-sat)
