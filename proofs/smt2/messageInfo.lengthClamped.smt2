; obligation: messageInfo.lengthClamped
; statement: messageInfoFromWord clamps length to seL4_MsgMaxLength (120) and keeps shorter lengths exactly
; hypotheses and the negated goal: a proof is `unsat`.
; expect: unsat
; messageInfo.lengthClamped
(set-info :status unknown)
(set-logic QF_BV)
(declare-fun word () (_ BitVec 64))
(assert
 (let ((?x9 (bvand (bvlshr word (_ bv0 64)) (_ bv127 64))))
 (let (($x22 (bvult (_ bv120 64) ?x9)))
 (let ((?x23 (ite $x22 (_ bv120 64) ?x9)))
 (let (($x19 (and (and (bvule ?x23 (_ bv120 64)) (or (not (bvule ?x9 (_ bv120 64))) (= ?x23 ?x9))) (or (not $x22) (= ?x23 (_ bv120 64))))))
 (not $x19))))))
(check-sat)
