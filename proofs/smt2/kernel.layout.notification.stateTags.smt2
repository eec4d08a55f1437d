; obligation: kernel.layout.notification.stateTags
; statement: a notification state word names at most one state: the tags of idle, waiting, active are distinct
; hypotheses and the negated goal: a proof is `unsat`.
; expect: unsat
; kernel.layout.notification.stateTags
(set-info :status unknown)
(set-logic QF_BV)
(declare-fun stateWord () (_ BitVec 64))
(assert
 (let (($x0 (and (not (and (= stateWord (_ bv0 64)) (= stateWord (_ bv1 64)))) (not (and (= stateWord (_ bv0 64)) (= stateWord (_ bv2 64)))))))
 (let (($x1 (and $x0 (not (and (= stateWord (_ bv1 64)) (= stateWord (_ bv2 64)))))))
 (not $x1))))
(check-sat)
