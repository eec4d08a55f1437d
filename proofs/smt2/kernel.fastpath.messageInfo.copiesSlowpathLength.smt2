; obligation: kernel.fastpath.messageInfo.copiesSlowpathLength
; statement: when fastpath_mi_check passes, the raw length the fastpath copies equals the slowpath's clamped length and is at most n_msgRegisters (4)
; hypotheses and the negated goal: a proof is `unsat`.
; expect: unsat
; kernel.fastpath.messageInfo.copiesSlowpathLength
(set-info :status unknown)
(set-logic QF_BV)
(declare-fun word () (_ BitVec 64))
(assert
 (not (bvult (_ bv4 64) (bvand word (_ bv511 64)))))
(assert
 (let ((?x0 (bvand (bvlshr word (_ bv0 64)) (_ bv127 64))))
 (let (($x1 (and (= ?x0 (ite (bvult (_ bv120 64) ?x0) (_ bv120 64) ?x0)) (bvule ?x0 (_ bv4 64)))))
 (not $x1))))
(check-sat)
