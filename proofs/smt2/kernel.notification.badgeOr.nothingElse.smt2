; obligation: kernel.notification.badgeOr.nothingElse
; statement: a signal sets no bit that is neither in the word before nor in the badge
; hypotheses and the negated goal: a proof is `unsat`.
; expect: unsat
; kernel.notification.badgeOr.nothingElse
(set-info :status unknown)
(set-logic QF_BV)
(declare-fun badge () (_ BitVec 64))
(declare-fun word () (_ BitVec 64))
(assert
 (let (($x0 (= (bvand (bvor word badge) (bvnot (bvor word badge))) (_ bv0 64))))
 (not $x0)))
(check-sat)
