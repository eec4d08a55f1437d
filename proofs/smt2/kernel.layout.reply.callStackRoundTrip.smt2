; obligation: kernel.layout.reply.callStackRoundTrip
; statement: the call-stack word the kernel writes for any pointer below 2^48 and either head flag reads back as that pointer and that flag
; hypotheses and the negated goal: a proof is `unsat`.
; expect: unsat
; kernel.layout.reply.callStackRoundTrip
(set-info :status unknown)
(set-logic QF_BV)
(declare-fun ptr () (_ BitVec 64))
(assert
 (bvule ptr (_ bv281474976710655 64)))
(assert
 (let ((?x0 (bvand (bvor (_ bv0 64) (bvshl (bvand ptr (_ bv281474976710655 64)) (_ bv0 64))) (_ bv18446462598732840959 64))))
 (let ((?x1 (bvor ?x0 (_ bv281474976710656 64))))
 (let (($x2 (and (= (bvand (bvlshr (bvor ?x0 (_ bv0 64)) (_ bv0 64)) (_ bv281474976710655 64)) ptr) (= (bvand (bvlshr (bvor ?x0 (_ bv0 64)) (_ bv48 64)) (_ bv1 64)) (_ bv0 64)))))
 (let (($x3 (and (and $x2 (= (bvand (bvlshr ?x1 (_ bv0 64)) (_ bv281474976710655 64)) ptr)) (= (bvand (bvlshr ?x1 (_ bv48 64)) (_ bv1 64)) (_ bv1 64)))))
 (not $x3))))))
(check-sat)
