; obligation: kernel.notification.badgeOr.associative
; statement: signalling a then b gives the same word as one signal of the badge a accumulated with b
; hypotheses and the negated goal: a proof is `unsat`.
; expect: unsat
; kernel.notification.badgeOr.associative
(set-info :status unknown)
(set-logic QF_BV)
(declare-fun badgeB () (_ BitVec 64))
(declare-fun badgeA () (_ BitVec 64))
(declare-fun word () (_ BitVec 64))
(assert
 (let (($x0 (= (bvor (bvor word badgeA) badgeB) (bvor word (bvor badgeA badgeB)))))
 (not $x0)))
(check-sat)
