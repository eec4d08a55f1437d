; obligation: kernel.notification.badgeOr.commutative
; statement: two signals give the same word in either order
; hypotheses and the negated goal: a proof is `unsat`.
; expect: unsat
; kernel.notification.badgeOr.commutative
(set-info :status unknown)
(set-logic QF_BV)
(declare-fun badgeA () (_ BitVec 64))
(declare-fun badgeB () (_ BitVec 64))
(declare-fun word () (_ BitVec 64))
(assert
 (let (($x0 (= (bvor (bvor word badgeA) badgeB) (bvor (bvor word badgeB) badgeA))))
 (not $x0)))
(check-sat)
