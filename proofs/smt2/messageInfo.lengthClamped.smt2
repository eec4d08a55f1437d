; obligation: messageInfo.lengthClamped
; statement: messageInfoFromWord clamps length to seL4_MsgMaxLength (120) and keeps shorter lengths exactly
; hypotheses and the negated goal: a proof is `unsat`.
; expect: unsat
; messageInfo.lengthClamped
(set-info :status unknown)
(set-logic QF_BV)
(declare-fun word () (_ BitVec 64))
(assert
 (let ((?x0 (bvand (bvlshr word (_ bv0 64)) (_ bv127 64))))
 (let (($x1 (bvult (_ bv120 64) ?x0)))
 (let ((?x2 (ite $x1 (_ bv120 64) ?x0)))
 (let (($x3 (and (and (bvule ?x2 (_ bv120 64)) (or (not (bvule ?x0 (_ bv120 64))) (= ?x2 ?x0))) (or (not $x1) (= ?x2 (_ bv120 64))))))
 (not $x3))))))
(check-sat)
