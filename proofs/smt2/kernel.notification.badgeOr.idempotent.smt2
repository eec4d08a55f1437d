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
 (let ((?x7 (bvor word badge)))
 (let (($x9 (= (bvor ?x7 badge) ?x7)))
 (not $x9))))
(check-sat)
