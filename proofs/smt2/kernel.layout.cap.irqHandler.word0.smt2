; obligation: kernel.layout.cap.irqHandler.word0
; statement: irq_handler_cap[0]: every field round-trips and no two fields share a bit
; hypotheses and the negated goal: a proof is `unsat`.
; expect: unsat
; kernel.layout.cap.irqHandler.word0
(set-info :status unknown)
(set-logic QF_BV)
(declare-fun capType () (_ BitVec 64))
(declare-fun word () (_ BitVec 64))
(assert
 (let ((?x0 (bvand capType (_ bv31 64))))
 (let ((?x1 (bvand (bvlshr (bvor (bvand word (_ bv576460752303423487 64)) (bvshl ?x0 (_ bv59 64))) (_ bv59 64)) (_ bv31 64))))
 (let ((?x2 (bvand word (_ bv576460752303423487 64))))
 (let (($x3 (and (= (bvand (bvor ?x2 (bvshl ?x0 (_ bv59 64))) (_ bv576460752303423487 64)) ?x2) (= ?x1 ?x0))))
 (not $x3))))))
(check-sat)
