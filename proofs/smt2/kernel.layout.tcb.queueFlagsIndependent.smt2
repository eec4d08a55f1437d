; obligation: kernel.layout.tcb.queueFlagsIndependent
; statement: setting either of tcbQueued and tcbInReleaseQueue reads back as written and keeps the other flag and the state
; hypotheses and the negated goal: a proof is `unsat`.
; expect: unsat
; kernel.layout.tcb.queueFlagsIndependent
(set-info :status unknown)
(set-logic QF_BV)
(declare-fun bit () (_ BitVec 64))
(declare-fun stateWord () (_ BitVec 64))
(assert
 (bvule bit (_ bv1 64)))
(assert
 (let ((?x0 (bvand (bvlshr stateWord (_ bv0 64)) (_ bv15 64))))
 (let ((?x1 (bvor (bvand stateWord (_ bv18446744073709551583 64)) (bvshl (bvand bit (_ bv1 64)) (_ bv5 64)))))
 (let (($x2 (= (bvand (bvlshr ?x1 (_ bv4 64)) (_ bv1 64)) (bvand (bvlshr stateWord (_ bv4 64)) (_ bv1 64)))))
 (let ((?x3 (bvor (bvand stateWord (_ bv18446744073709551599 64)) (bvshl (bvand bit (_ bv1 64)) (_ bv4 64)))))
 (let (($x4 (= (bvand (bvlshr ?x3 (_ bv5 64)) (_ bv1 64)) (bvand (bvlshr stateWord (_ bv5 64)) (_ bv1 64)))))
 (let (($x5 (and (and (= (bvand (bvlshr ?x3 (_ bv4 64)) (_ bv1 64)) bit) $x4) (= (bvand (bvlshr ?x3 (_ bv0 64)) (_ bv15 64)) ?x0))))
 (let (($x6 (and (and (and $x5 (= (bvand (bvlshr ?x1 (_ bv5 64)) (_ bv1 64)) bit)) $x2) (= (bvand (bvlshr ?x1 (_ bv0 64)) (_ bv15 64)) ?x0))))
 (not $x6)))))))))
(check-sat)
