; obligation: kernel.refill.chargeEntireHeadRefill.keepsWindow
; statement: one round of handle_overrun's loop (charge_entire_head_refill, with or without its guard: the buffer it leaves does not depend on the usage) on refills within one period (the last starts no later than the head's start + period, l4v's window) whose second starts no earlier than the head (as ordered refills do) keeps them within one period
; bound: refillMax in 2...2 (every buffer of up to 2 refills; refill_absolute_max is 2 for a 2^7-byte and 10 for a 2^8-byte scheduling context), head and tail below refillMax; live amounts, their sum, the period and the usage at most MAX_PERIOD = 36000000000 ticks; live release times below 2^62
; hypotheses and the negated goal: a proof is `unsat`.
; expect: unsat
; kernel.refill.chargeEntireHeadRefill.keepsWindow
(set-info :status unknown)
(set-logic QF_BV)
(declare-fun period () (_ BitVec 64))
(declare-fun rTime1 () (_ BitVec 64))
(declare-fun rAmount1 () (_ BitVec 64))
(declare-fun rTime0 () (_ BitVec 64))
(declare-fun rAmount0 () (_ BitVec 64))
(declare-fun rTime2 () (_ BitVec 64))
(assert
 (bvule period (_ bv36000000000 64)))
(assert
 (bvule (_ bv20 64) period))
(assert
 (let ((?x0 (bvadd rTime1 period)))
 (let (($x1 (and (bvult rTime1 (_ bv4611686018427387904 64)) (bvule rAmount1 (_ bv36000000000 64)))))
 (let (($x2 (or (not (and $x1 (bvule rTime1 ?x0))) (bvule ?x0 (bvadd ?x0 period)))))
 (let (($x3 (bvule ?x0 (bvadd rTime0 rAmount0))))
 (let (($x4 (not $x3)))
 (let ((?x5 (ite $x3 rTime0 (ite $x4 ?x0 (bvsub ?x0 rAmount0)))))
 (let ((?x6 (ite (= (ite $x4 (_ bv1 64) (_ bv0 64)) (_ bv0 64)) ?x5 rTime0)))
 (let ((?x7 (bvadd ?x6 period)))
 (let (($x8 (bvule (ite (= (ite $x4 (_ bv1 64) (_ bv0 64)) (_ bv1 64)) ?x5 rTime1) ?x7)))
 (let ((?x9 (ite (= (_ bv0 64) (ite $x4 (_ bv1 64) (_ bv0 64))) (_ bv1 64) (ite (= (_ bv1 64) (ite $x4 (_ bv1 64) (_ bv0 64))) (_ bv2 64) (_ bv0 64)))))
 (let (($x10 (and (or (not (= ?x9 (_ bv1 64))) (bvule ?x6 ?x7)) (or (not (= ?x9 (_ bv2 64))) $x8))))
 (let (($x11 (and (and $x10 (or (not (= ?x9 (_ bv3 64))) (bvule ?x6 ?x7))) (or (not (= ?x9 (_ bv4 64))) $x8))))
 (let (($x12 (and (and $x1 (and (bvult rTime0 (_ bv4611686018427387904 64)) (bvule rAmount0 (_ bv36000000000 64)))) (and (bvule rTime1 rTime0) (bvule rTime0 ?x0)))))
 (let ((?x13 (bvadd rTime0 period)))
 (let (($x14 (bvule ?x13 (bvadd rTime1 rAmount1))))
 (let (($x15 (not $x14)))
 (let ((?x16 (ite $x14 rTime1 (ite $x15 ?x13 (bvsub ?x13 rAmount1)))))
 (let ((?x17 (ite (= (ite $x15 (_ bv0 64) (_ bv1 64)) (_ bv1 64)) ?x16 rTime1)))
 (let ((?x18 (bvadd ?x17 period)))
 (let ((?x19 (ite (= (_ bv1 64) (ite $x15 (_ bv0 64) (_ bv1 64))) (_ bv1 64) (ite (= (_ bv0 64) (ite $x15 (_ bv0 64) (_ bv1 64))) (_ bv2 64) (_ bv0 64)))))
 (let (($x20 (or (not (= ?x19 (_ bv4 64))) (bvule (ite (= (ite $x15 (_ bv0 64) (_ bv1 64)) (_ bv2 64)) ?x16 rTime2) ?x18))))
 (let (($x21 (or (not (= ?x19 (_ bv2 64))) (bvule (ite (= (ite $x15 (_ bv0 64) (_ bv1 64)) (_ bv0 64)) ?x16 rTime0) ?x18))))
 (let (($x22 (and (and (or (not (= ?x19 (_ bv1 64))) (bvule ?x17 ?x18)) $x21) (or (not (= ?x19 (_ bv3 64))) (bvule ?x17 ?x18)))))
 (let (($x23 (and (and (and (bvult rTime0 (_ bv4611686018427387904 64)) (bvule rAmount0 (_ bv36000000000 64))) $x1) (and (bvule rTime0 rTime1) (bvule rTime1 ?x13)))))
 (let (($x24 (and (bvult rTime0 (_ bv4611686018427387904 64)) (bvule rAmount0 (_ bv36000000000 64)))))
 (let (($x25 (or (not (and $x24 (bvule rTime0 ?x13))) (bvule ?x13 (bvadd ?x13 period)))))
 (let (($x26 (and (and $x25 (or (not $x23) (and $x22 $x20))) (or (not $x12) $x11))))
 (let (($x27 (and $x26 $x2)))
 (not $x27))))))))))))))))))))))))))))))
(check-sat)
