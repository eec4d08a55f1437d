; obligation: kernel.layout.tcb.wordsClearOfCapSlots
; statement: no tcb field word and array word overlaps one of its 5 CTEs
; hypotheses and the negated goal: a proof is `unsat`.
; expect: unsat
; kernel.layout.tcb.wordsClearOfCapSlots
(set-info :status unknown)
(set-logic QF_BV)
(declare-fun tcb () (_ BitVec 64))
(declare-fun slot () (_ BitVec 64))
(declare-fun tcbMsgRegistersIndex () (_ BitVec 64))
(declare-fun tcbRegistersIndex () (_ BitVec 64))
(declare-fun tcbCapsOrBadgesIndex () (_ BitVec 64))
(assert
 (bvule tcb (_ bv281474976710655 64)))
(assert
 (= (bvand tcb (_ bv2047 64)) (_ bv0 64)))
(assert
 (bvult slot (_ bv5 64)))
(assert
 (bvult tcbMsgRegistersIndex (_ bv120 64)))
(assert
 (bvult tcbRegistersIndex (_ bv31 64)))
(assert
 (bvult tcbCapsOrBadgesIndex (_ bv3 64)))
(assert
 (let ((?x0 (bvadd tcb (bvshl slot (_ bv5 64)))))
 (let ((?x1 (bvadd (bvadd tcb (_ bv2000 64)) (bvmul tcbCapsOrBadgesIndex (_ bv8 64)))))
 (let ((?x2 (bvadd (bvadd tcb (_ bv1224 64)) (bvmul tcbRegistersIndex (_ bv8 64)))))
 (let ((?x3 (bvadd (bvadd tcb (_ bv264 64)) (bvmul tcbMsgRegistersIndex (_ bv8 64)))))
 (let (($x4 (or (bvule (bvadd ?x0 (_ bv32 64)) (bvadd tcb (_ bv1992 64))) (bvule (bvadd (bvadd tcb (_ bv1992 64)) (_ bv8 64)) ?x0))))
 (let (($x5 (or (bvule (bvadd ?x0 (_ bv32 64)) (bvadd tcb (_ bv1984 64))) (bvule (bvadd (bvadd tcb (_ bv1984 64)) (_ bv8 64)) ?x0))))
 (let (($x6 (or (bvule (bvadd ?x0 (_ bv32 64)) (bvadd tcb (_ bv1976 64))) (bvule (bvadd (bvadd tcb (_ bv1976 64)) (_ bv8 64)) ?x0))))
 (let (($x7 (or (bvule (bvadd ?x0 (_ bv32 64)) (bvadd tcb (_ bv1968 64))) (bvule (bvadd (bvadd tcb (_ bv1968 64)) (_ bv8 64)) ?x0))))
 (let (($x8 (or (bvule (bvadd ?x0 (_ bv32 64)) (bvadd tcb (_ bv1512 64))) (bvule (bvadd (bvadd tcb (_ bv1512 64)) (_ bv8 64)) ?x0))))
 (let (($x9 (or (bvule (bvadd ?x0 (_ bv32 64)) (bvadd tcb (_ bv2040 64))) (bvule (bvadd (bvadd tcb (_ bv2040 64)) (_ bv8 64)) ?x0))))
 (let (($x10 (or (bvule (bvadd ?x0 (_ bv32 64)) (bvadd tcb (_ bv2032 64))) (bvule (bvadd (bvadd tcb (_ bv2032 64)) (_ bv8 64)) ?x0))))
 (let (($x11 (or (bvule (bvadd ?x0 (_ bv32 64)) (bvadd tcb (_ bv2024 64))) (bvule (bvadd (bvadd tcb (_ bv2024 64)) (_ bv8 64)) ?x0))))
 (let (($x12 (or (bvule (bvadd ?x0 (_ bv32 64)) (bvadd tcb (_ bv1504 64))) (bvule (bvadd (bvadd tcb (_ bv1504 64)) (_ bv8 64)) ?x0))))
 (let (($x13 (or (bvule (bvadd ?x0 (_ bv32 64)) (bvadd tcb (_ bv1496 64))) (bvule (bvadd (bvadd tcb (_ bv1496 64)) (_ bv8 64)) ?x0))))
 (let (($x14 (or (bvule (bvadd ?x0 (_ bv32 64)) (bvadd tcb (_ bv1488 64))) (bvule (bvadd (bvadd tcb (_ bv1488 64)) (_ bv8 64)) ?x0))))
 (let (($x15 (or (bvule (bvadd ?x0 (_ bv32 64)) (bvadd tcb (_ bv1480 64))) (bvule (bvadd (bvadd tcb (_ bv1480 64)) (_ bv8 64)) ?x0))))
 (let (($x16 (or (bvule (bvadd ?x0 (_ bv32 64)) (bvadd tcb (_ bv1472 64))) (bvule (bvadd (bvadd tcb (_ bv1472 64)) (_ bv8 64)) ?x0))))
 (let (($x17 (or (bvule (bvadd ?x0 (_ bv32 64)) (bvadd tcb (_ bv256 64))) (bvule (bvadd (bvadd tcb (_ bv256 64)) (_ bv8 64)) ?x0))))
 (let (($x18 (or (bvule (bvadd ?x0 (_ bv32 64)) (bvadd tcb (_ bv248 64))) (bvule (bvadd (bvadd tcb (_ bv248 64)) (_ bv8 64)) ?x0))))
 (let (($x19 (or (bvule (bvadd ?x0 (_ bv32 64)) (bvadd tcb (_ bv240 64))) (bvule (bvadd (bvadd tcb (_ bv240 64)) (_ bv8 64)) ?x0))))
 (let (($x20 (or (bvule (bvadd ?x0 (_ bv32 64)) (bvadd tcb (_ bv232 64))) (bvule (bvadd (bvadd tcb (_ bv232 64)) (_ bv8 64)) ?x0))))
 (let (($x21 (or (bvule (bvadd ?x0 (_ bv32 64)) (bvadd tcb (_ bv224 64))) (bvule (bvadd (bvadd tcb (_ bv224 64)) (_ bv8 64)) ?x0))))
 (let (($x22 (or (bvule (bvadd ?x0 (_ bv32 64)) (bvadd tcb (_ bv216 64))) (bvule (bvadd (bvadd tcb (_ bv216 64)) (_ bv8 64)) ?x0))))
 (let (($x23 (or (bvule (bvadd ?x0 (_ bv32 64)) (bvadd tcb (_ bv208 64))) (bvule (bvadd (bvadd tcb (_ bv208 64)) (_ bv8 64)) ?x0))))
 (let (($x24 (or (bvule (bvadd ?x0 (_ bv32 64)) (bvadd tcb (_ bv200 64))) (bvule (bvadd (bvadd tcb (_ bv200 64)) (_ bv8 64)) ?x0))))
 (let (($x25 (or (bvule (bvadd ?x0 (_ bv32 64)) (bvadd tcb (_ bv192 64))) (bvule (bvadd (bvadd tcb (_ bv192 64)) (_ bv8 64)) ?x0))))
 (let (($x26 (or (bvule (bvadd ?x0 (_ bv32 64)) (bvadd tcb (_ bv184 64))) (bvule (bvadd (bvadd tcb (_ bv184 64)) (_ bv8 64)) ?x0))))
 (let (($x27 (or (bvule (bvadd ?x0 (_ bv32 64)) (bvadd tcb (_ bv176 64))) (bvule (bvadd (bvadd tcb (_ bv176 64)) (_ bv8 64)) ?x0))))
 (let (($x28 (or (bvule (bvadd ?x0 (_ bv32 64)) (bvadd tcb (_ bv168 64))) (bvule (bvadd (bvadd tcb (_ bv168 64)) (_ bv8 64)) ?x0))))
 (let (($x29 (or (bvule (bvadd ?x0 (_ bv32 64)) (bvadd tcb (_ bv160 64))) (bvule (bvadd (bvadd tcb (_ bv160 64)) (_ bv8 64)) ?x0))))
 (let (($x30 (and (and (and (and (and (and $x29 $x28) $x27) $x26) $x25) $x24) $x23)))
 (let (($x31 (and (and (and (and (and (and $x30 $x22) $x21) $x20) $x19) $x18) $x17)))
 (let (($x32 (and (and (and (and (and (and $x31 $x16) $x15) $x14) $x13) $x12) $x11)))
 (let (($x33 (and (and (and (and (and (and $x32 $x10) $x9) $x8) $x7) $x6) $x5)))
 (let (($x34 (and (and $x33 $x4) (or (bvule (bvadd ?x0 (_ bv32 64)) ?x3) (bvule (bvadd ?x3 (_ bv8 64)) ?x0)))))
 (let (($x35 (and $x34 (or (bvule (bvadd ?x0 (_ bv32 64)) ?x2) (bvule (bvadd ?x2 (_ bv8 64)) ?x0)))))
 (let (($x36 (and $x35 (or (bvule (bvadd ?x0 (_ bv32 64)) ?x1) (bvule (bvadd ?x1 (_ bv8 64)) ?x0)))))
 (not $x36)))))))))))))))))))))))))))))))))))))))
(check-sat)
