; obligation: kernel.layout.tcb.zeroIsInactive
; statement: a zeroed TCB state word (a freshly retyped TCB) reads as Inactive, in no ready queue and not in the release queue
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
 (let (($x1 (and $x0 (= (bvand (bvlshr stateWord (_ bv5 64)) (_ bv1 64)) (_ bv0 64)))))
 (not $x1))))
(check-sat)
