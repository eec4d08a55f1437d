; obligation: kernel.notification.badgeOr.idempotent
; statement: signalling the same badge twice gives the same word as signalling it once
; hypotheses and the negated goal: a proof is `unsat`.
; expect: unsat
; kernel.notification.badgeOr.idempotent
(set-info :status unknown)
(set-logic QF_BV)
(declare-fun badge () (_ BitVec 64))
(declare-fun word () (_ BitVec 64))
(assert
 (let ((?x0 (bvor word badge)))
 (let (($x1 (= (bvor ?x0 badge) ?x0)))
 (not $x1))))
(check-sat)
