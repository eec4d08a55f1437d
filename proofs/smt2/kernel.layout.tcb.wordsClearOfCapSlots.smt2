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
 (let ((?x16 (bvadd tcb (bvshl slot (_ bv5 64)))))
 (let ((?x80 (bvadd (bvadd tcb (_ bv2000 64)) (bvmul tcbCapsOrBadgesIndex (_ bv8 64)))))
 (let ((?x73 (bvadd (bvadd tcb (_ bv1224 64)) (bvmul tcbRegistersIndex (_ bv8 64)))))
 (let ((?x66 (bvadd (bvadd tcb (_ bv264 64)) (bvmul tcbMsgRegistersIndex (_ bv8 64)))))
 (let (($x185 (or (bvule (bvadd ?x16 (_ bv32 64)) (bvadd tcb (_ bv2040 64))) (bvule (bvadd (bvadd tcb (_ bv2040 64)) (_ bv8 64)) ?x16))))
 (let (($x180 (or (bvule (bvadd ?x16 (_ bv32 64)) (bvadd tcb (_ bv2032 64))) (bvule (bvadd (bvadd tcb (_ bv2032 64)) (_ bv8 64)) ?x16))))
 (let (($x175 (or (bvule (bvadd ?x16 (_ bv32 64)) (bvadd tcb (_ bv2024 64))) (bvule (bvadd (bvadd tcb (_ bv2024 64)) (_ bv8 64)) ?x16))))
 (let (($x170 (or (bvule (bvadd ?x16 (_ bv32 64)) (bvadd tcb (_ bv1504 64))) (bvule (bvadd (bvadd tcb (_ bv1504 64)) (_ bv8 64)) ?x16))))
 (let (($x165 (or (bvule (bvadd ?x16 (_ bv32 64)) (bvadd tcb (_ bv1496 64))) (bvule (bvadd (bvadd tcb (_ bv1496 64)) (_ bv8 64)) ?x16))))
 (let (($x160 (or (bvule (bvadd ?x16 (_ bv32 64)) (bvadd tcb (_ bv1488 64))) (bvule (bvadd (bvadd tcb (_ bv1488 64)) (_ bv8 64)) ?x16))))
 (let (($x155 (or (bvule (bvadd ?x16 (_ bv32 64)) (bvadd tcb (_ bv1480 64))) (bvule (bvadd (bvadd tcb (_ bv1480 64)) (_ bv8 64)) ?x16))))
 (let (($x150 (or (bvule (bvadd ?x16 (_ bv32 64)) (bvadd tcb (_ bv1472 64))) (bvule (bvadd (bvadd tcb (_ bv1472 64)) (_ bv8 64)) ?x16))))
 (let (($x145 (or (bvule (bvadd ?x16 (_ bv32 64)) (bvadd tcb (_ bv256 64))) (bvule (bvadd (bvadd tcb (_ bv256 64)) (_ bv8 64)) ?x16))))
 (let (($x140 (or (bvule (bvadd ?x16 (_ bv32 64)) (bvadd tcb (_ bv248 64))) (bvule (bvadd (bvadd tcb (_ bv248 64)) (_ bv8 64)) ?x16))))
 (let (($x135 (or (bvule (bvadd ?x16 (_ bv32 64)) (bvadd tcb (_ bv240 64))) (bvule (bvadd (bvadd tcb (_ bv240 64)) (_ bv8 64)) ?x16))))
 (let (($x130 (or (bvule (bvadd ?x16 (_ bv32 64)) (bvadd tcb (_ bv232 64))) (bvule (bvadd (bvadd tcb (_ bv232 64)) (_ bv8 64)) ?x16))))
 (let (($x125 (or (bvule (bvadd ?x16 (_ bv32 64)) (bvadd tcb (_ bv224 64))) (bvule (bvadd (bvadd tcb (_ bv224 64)) (_ bv8 64)) ?x16))))
 (let (($x120 (or (bvule (bvadd ?x16 (_ bv32 64)) (bvadd tcb (_ bv216 64))) (bvule (bvadd (bvadd tcb (_ bv216 64)) (_ bv8 64)) ?x16))))
 (let (($x115 (or (bvule (bvadd ?x16 (_ bv32 64)) (bvadd tcb (_ bv208 64))) (bvule (bvadd (bvadd tcb (_ bv208 64)) (_ bv8 64)) ?x16))))
 (let (($x110 (or (bvule (bvadd ?x16 (_ bv32 64)) (bvadd tcb (_ bv200 64))) (bvule (bvadd (bvadd tcb (_ bv200 64)) (_ bv8 64)) ?x16))))
 (let (($x105 (or (bvule (bvadd ?x16 (_ bv32 64)) (bvadd tcb (_ bv192 64))) (bvule (bvadd (bvadd tcb (_ bv192 64)) (_ bv8 64)) ?x16))))
 (let (($x100 (or (bvule (bvadd ?x16 (_ bv32 64)) (bvadd tcb (_ bv184 64))) (bvule (bvadd (bvadd tcb (_ bv184 64)) (_ bv8 64)) ?x16))))
 (let (($x95 (or (bvule (bvadd ?x16 (_ bv32 64)) (bvadd tcb (_ bv176 64))) (bvule (bvadd (bvadd tcb (_ bv176 64)) (_ bv8 64)) ?x16))))
 (let (($x90 (or (bvule (bvadd ?x16 (_ bv32 64)) (bvadd tcb (_ bv168 64))) (bvule (bvadd (bvadd tcb (_ bv168 64)) (_ bv8 64)) ?x16))))
 (let (($x86 (or (bvule (bvadd ?x16 (_ bv32 64)) (bvadd tcb (_ bv160 64))) (bvule (bvadd (bvadd tcb (_ bv160 64)) (_ bv8 64)) ?x16))))
 (let (($x116 (and (and (and (and (and (and $x86 $x90) $x95) $x100) $x105) $x110) $x115)))
 (let (($x146 (and (and (and (and (and (and $x116 $x120) $x125) $x130) $x135) $x140) $x145)))
 (let (($x176 (and (and (and (and (and (and $x146 $x150) $x155) $x160) $x165) $x170) $x175)))
 (let (($x191 (and (and (and $x176 $x180) $x185) (or (bvule (bvadd ?x16 (_ bv32 64)) ?x66) (bvule (bvadd ?x66 (_ bv8 64)) ?x16)))))
 (let (($x196 (and $x191 (or (bvule (bvadd ?x16 (_ bv32 64)) ?x73) (bvule (bvadd ?x73 (_ bv8 64)) ?x16)))))
 (let (($x201 (and $x196 (or (bvule (bvadd ?x16 (_ bv32 64)) ?x80) (bvule (bvadd ?x80 (_ bv8 64)) ?x16)))))
 (not $x201)))))))))))))))))))))))))))))))))
(check-sat)
