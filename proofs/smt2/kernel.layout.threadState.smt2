; obligation: kernel.layout.threadState
; statement: thread_state: every field round-trips and no two fields share a bit
; hypotheses and the negated goal: a proof is `unsat`.
; expect: unsat
; kernel.layout.threadState
(set-info :status unknown)
(set-logic QF_BV)
(declare-fun tcbInReleaseQueue () (_ BitVec 64))
(declare-fun tcbQueued () (_ BitVec 64))
(declare-fun tsType () (_ BitVec 64))
(declare-fun word () (_ BitVec 64))
(assert
 (let ((?x0 (bvand tcbInReleaseQueue (_ bv1 64))))
 (let ((?x1 (bvand (bvor (bvand word (_ bv18446744073709551600 64)) (bvshl (bvand tsType (_ bv15 64)) (_ bv0 64))) (_ bv18446744073709551599 64))))
 (let ((?x2 (bvor (bvand (bvor ?x1 (bvshl (bvand tcbQueued (_ bv1 64)) (_ bv4 64))) (_ bv18446744073709551583 64)) (bvshl ?x0 (_ bv5 64)))))
 (let (($x3 (and (= (bvand ?x2 (_ bv18446744073709551552 64)) (bvand word (_ bv18446744073709551552 64))) (= (bvand (bvlshr ?x2 (_ bv0 64)) (_ bv15 64)) (bvand tsType (_ bv15 64))))))
 (let (($x4 (and $x3 (= (bvand (bvlshr ?x2 (_ bv4 64)) (_ bv1 64)) (bvand tcbQueued (_ bv1 64))))))
 (let (($x5 (and $x4 (= (bvand (bvlshr ?x2 (_ bv5 64)) (_ bv1 64)) ?x0))))
 (not $x5))))))))
(check-sat)
