; obligation: kernel.notification.badgeOr.zeroBadge
; statement: a signal with badge 0 leaves the notification word unchanged
; hypotheses and the negated goal: a proof is `unsat`.
; expect: unsat
; kernel.notification.badgeOr.zeroBadge
(set-info :status unknown)
(set-logic QF_BV)
(declare-fun word () (_ BitVec 64))
(assert
 (let (($x0 (= (bvor word (_ bv0 64)) word)))
 (not $x0)))
(check-sat)
