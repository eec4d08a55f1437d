; obligation: kernel.layout.tcb.wordsInsideObject
; statement: every tcb field word and array word lies inside the object: offset + 8 <= 2^11
; hypotheses and the negated goal: a proof is `unsat`.
; expect: unsat
; kernel.layout.tcb.wordsInsideObject
(set-info :status unknown)
(set-logic QF_BV)
(declare-fun tcb () (_ BitVec 64))
(declare-fun tcbMsgRegistersIndex () (_ BitVec 64))
(declare-fun tcbRegistersIndex () (_ BitVec 64))
(declare-fun tcbCapsOrBadgesIndex () (_ BitVec 64))
(assert
 (bvule tcb (_ bv281474976710655 64)))
(assert
 (= (bvand tcb (_ bv2047 64)) (_ bv0 64)))
(assert
 (bvult tcbMsgRegistersIndex (_ bv120 64)))
(assert
 (bvult tcbRegistersIndex (_ bv31 64)))
(assert
 (bvult tcbCapsOrBadgesIndex (_ bv3 64)))
(assert
 (let ((?x0 (bvadd tcb (_ bv2048 64))))
 (let ((?x1 (bvadd (bvadd tcb (_ bv2000 64)) (bvmul tcbCapsOrBadgesIndex (_ bv8 64)))))
 (let ((?x2 (bvadd (bvadd tcb (_ bv1224 64)) (bvmul tcbRegistersIndex (_ bv8 64)))))
 (let ((?x3 (bvadd (bvadd tcb (_ bv264 64)) (bvmul tcbMsgRegistersIndex (_ bv8 64)))))
 (let (($x4 (and (bvule tcb (bvadd tcb (_ bv160 64))) (bvule (bvadd (bvadd tcb (_ bv160 64)) (_ bv8 64)) ?x0))))
 (let (($x5 (and (and $x4 (bvule tcb (bvadd tcb (_ bv168 64)))) (bvule (bvadd (bvadd tcb (_ bv168 64)) (_ bv8 64)) ?x0))))
 (let (($x6 (and (and $x5 (bvule tcb (bvadd tcb (_ bv176 64)))) (bvule (bvadd (bvadd tcb (_ bv176 64)) (_ bv8 64)) ?x0))))
 (let (($x7 (and (and $x6 (bvule tcb (bvadd tcb (_ bv184 64)))) (bvule (bvadd (bvadd tcb (_ bv184 64)) (_ bv8 64)) ?x0))))
 (let (($x8 (and (and $x7 (bvule tcb (bvadd tcb (_ bv192 64)))) (bvule (bvadd (bvadd tcb (_ bv192 64)) (_ bv8 64)) ?x0))))
 (let (($x9 (and (and $x8 (bvule tcb (bvadd tcb (_ bv200 64)))) (bvule (bvadd (bvadd tcb (_ bv200 64)) (_ bv8 64)) ?x0))))
 (let (($x10 (and (and $x9 (bvule tcb (bvadd tcb (_ bv208 64)))) (bvule (bvadd (bvadd tcb (_ bv208 64)) (_ bv8 64)) ?x0))))
 (let (($x11 (and (and $x10 (bvule tcb (bvadd tcb (_ bv216 64)))) (bvule (bvadd (bvadd tcb (_ bv216 64)) (_ bv8 64)) ?x0))))
 (let (($x12 (and (and $x11 (bvule tcb (bvadd tcb (_ bv224 64)))) (bvule (bvadd (bvadd tcb (_ bv224 64)) (_ bv8 64)) ?x0))))
 (let (($x13 (and (and $x12 (bvule tcb (bvadd tcb (_ bv232 64)))) (bvule (bvadd (bvadd tcb (_ bv232 64)) (_ bv8 64)) ?x0))))
 (let (($x14 (and (and $x13 (bvule tcb (bvadd tcb (_ bv240 64)))) (bvule (bvadd (bvadd tcb (_ bv240 64)) (_ bv8 64)) ?x0))))
 (let (($x15 (and (and $x14 (bvule tcb (bvadd tcb (_ bv248 64)))) (bvule (bvadd (bvadd tcb (_ bv248 64)) (_ bv8 64)) ?x0))))
 (let (($x16 (and (and $x15 (bvule tcb (bvadd tcb (_ bv256 64)))) (bvule (bvadd (bvadd tcb (_ bv256 64)) (_ bv8 64)) ?x0))))
 (let (($x17 (and (and $x16 (bvule tcb (bvadd tcb (_ bv1472 64)))) (bvule (bvadd (bvadd tcb (_ bv1472 64)) (_ bv8 64)) ?x0))))
 (let (($x18 (and (and $x17 (bvule tcb (bvadd tcb (_ bv1480 64)))) (bvule (bvadd (bvadd tcb (_ bv1480 64)) (_ bv8 64)) ?x0))))
 (let (($x19 (and (and $x18 (bvule tcb (bvadd tcb (_ bv1488 64)))) (bvule (bvadd (bvadd tcb (_ bv1488 64)) (_ bv8 64)) ?x0))))
 (let (($x20 (and (and $x19 (bvule tcb (bvadd tcb (_ bv1496 64)))) (bvule (bvadd (bvadd tcb (_ bv1496 64)) (_ bv8 64)) ?x0))))
 (let (($x21 (and (and $x20 (bvule tcb (bvadd tcb (_ bv1504 64)))) (bvule (bvadd (bvadd tcb (_ bv1504 64)) (_ bv8 64)) ?x0))))
 (let (($x22 (and (and $x21 (bvule tcb (bvadd tcb (_ bv2024 64)))) (bvule (bvadd (bvadd tcb (_ bv2024 64)) (_ bv8 64)) ?x0))))
 (let (($x23 (and (and $x22 (bvule tcb (bvadd tcb (_ bv2032 64)))) (bvule (bvadd (bvadd tcb (_ bv2032 64)) (_ bv8 64)) ?x0))))
 (let (($x24 (and (and $x23 (bvule tcb (bvadd tcb (_ bv2040 64)))) (bvule (bvadd (bvadd tcb (_ bv2040 64)) (_ bv8 64)) ?x0))))
 (let (($x25 (and (and $x24 (bvule tcb (bvadd tcb (_ bv1512 64)))) (bvule (bvadd (bvadd tcb (_ bv1512 64)) (_ bv8 64)) ?x0))))
 (let (($x26 (and (and $x25 (bvule tcb (bvadd tcb (_ bv1520 64)))) (bvule (bvadd (bvadd tcb (_ bv1520 64)) (_ bv8 64)) ?x0))))
 (let (($x27 (and (and $x26 (bvule tcb (bvadd tcb (_ bv1968 64)))) (bvule (bvadd (bvadd tcb (_ bv1968 64)) (_ bv8 64)) ?x0))))
 (let (($x28 (and (and $x27 (bvule tcb (bvadd tcb (_ bv1976 64)))) (bvule (bvadd (bvadd tcb (_ bv1976 64)) (_ bv8 64)) ?x0))))
 (let (($x29 (and (and $x28 (bvule tcb (bvadd tcb (_ bv1984 64)))) (bvule (bvadd (bvadd tcb (_ bv1984 64)) (_ bv8 64)) ?x0))))
 (let (($x30 (and (and $x29 (bvule tcb (bvadd tcb (_ bv1992 64)))) (bvule (bvadd (bvadd tcb (_ bv1992 64)) (_ bv8 64)) ?x0))))
 (let (($x31 (and (and (and $x30 (bvule tcb ?x3)) (bvule (bvadd ?x3 (_ bv8 64)) ?x0)) (bvule tcb ?x2))))
 (let (($x32 (and (and (and $x31 (bvule (bvadd ?x2 (_ bv8 64)) ?x0)) (bvule tcb ?x1)) (bvule (bvadd ?x1 (_ bv8 64)) ?x0))))
 (not $x32)))))))))))))))))))))))))))))))))))
(check-sat)
