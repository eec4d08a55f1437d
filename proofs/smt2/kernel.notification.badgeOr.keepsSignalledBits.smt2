; obligation: kernel.notification.badgeOr.keepsSignalledBits
; statement: a signal keeps every bit already in the notification word: none signalled before is lost
; hypotheses and the negated goal: a proof is `unsat`.
; expect: unsat
; kernel.notification.badgeOr.keepsSignalledBits
(set-info :status unknown)
(set-logic QF_BV)
(declare-fun badge () (_ BitVec 64))
(declare-fun word () (_ BitVec 64))
(assert
 (let (($x0 (= (bvand word (bvnot (bvor word badge))) (_ bv0 64))))
 (not $x0)))
(check-sat)
