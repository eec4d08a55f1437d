; obligation: kernel.notification.badgeOr.addsBadgeBits
; statement: after a signal every bit of its badge is set in the notification word
; hypotheses and the negated goal: a proof is `unsat`.
; expect: unsat
; kernel.notification.badgeOr.addsBadgeBits
(set-info :status unknown)
(set-logic QF_BV)
(declare-fun badge () (_ BitVec 64))
(declare-fun word () (_ BitVec 64))
(assert
 (let (($x0 (= (bvand badge (bvnot (bvor word badge))) (_ bv0 64))))
 (not $x0)))
(check-sat)
