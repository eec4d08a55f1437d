; obligation: kernel.layout.notification.zeroIsIdle
; statement: a zeroed notification state word (a freshly retyped notification) reads as Idle
; hypotheses and the negated goal: a proof is `unsat`.
; expect: unsat
; kernel.layout.notification.zeroIsIdle
(set-info :status unknown)
(set-logic QF_BV)
(declare-fun stateWord () (_ BitVec 64))
(assert
 (= stateWord (_ bv0 64)))
(assert
 (let (($x0 (= stateWord (_ bv0 64))))
 (not $x0)))
(check-sat)
