; obligation: kernel.layout.tcb.zeroIsInactive
; statement: a zeroed TCB state word (a freshly retyped TCB) reads as Inactive and not queued
; hypotheses and the negated goal: a proof is `unsat`.
; expect: unsat
; kernel.layout.tcb.zeroIsInactive
(set-info :status unknown)
(set-logic QF_BV)
(declare-fun stateWord () (_ BitVec 64))
(assert
 (= stateWord (_ bv0 64)))
(assert
 (let (($x0 (and (= (bvand (bvlshr stateWord (_ bv0 64)) (_ bv15 64)) (_ bv0 64)) (= (bvand (bvlshr stateWord (_ bv4 64)) (_ bv1 64)) (_ bv0 64)))))
 (not $x0)))
(check-sat)
