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
 (let ((?x82 (bvadd (bvadd tcb (_ bv2000 64)) (bvmul tcbCapsOrBadgesIndex (_ bv8 64)))))
 (let ((?x75 (bvadd (bvadd tcb (_ bv1224 64)) (bvmul tcbRegistersIndex (_ bv8 64)))))
 (let ((?x68 (bvadd (bvadd tcb (_ bv264 64)) (bvmul tcbMsgRegistersIndex (_ bv8 64)))))
 (let (($x192 (or (bvule (bvadd ?x16 (_ bv32 64)) (bvadd tcb (_ bv1512 64))) (bvule (bvadd (bvadd tcb (_ bv1512 64)) (_ bv8 64)) ?x16))))
 (let (($x187 (or (bvule (bvadd ?x16 (_ bv32 64)) (bvadd tcb (_ bv2040 64))) (bvule (bvadd (bvadd tcb (_ bv2040 64)) (_ bv8 64)) ?x16))))
 (let (($x182 (or (bvule (bvadd ?x16 (_ bv32 64)) (bvadd tcb (_ bv2032 64))) (bvule (bvadd (bvadd tcb (_ bv2032 64)) (_ bv8 64)) ?x16))))
 (let (($x177 (or (bvule (bvadd ?x16 (_ bv32 64)) (bvadd tcb (_ bv2024 64))) (bvule (bvadd (bvadd tcb (_ bv2024 64)) (_ bv8 64)) ?x16))))
 (let (($x172 (or (bvule (bvadd ?x16 (_ bv32 64)) (bvadd tcb (_ bv1504 64))) (bvule (bvadd (bvadd tcb (_ bv1504 64)) (_ bv8 64)) ?x16))))
 (let (($x167 (or (bvule (bvadd ?x16 (_ bv32 64)) (bvadd tcb (_ bv1496 64))) (bvule (bvadd (bvadd tcb (_ bv1496 64)) (_ bv8 64)) ?x16))))
 (let (($x162 (or (bvule (bvadd ?x16 (_ bv32 64)) (bvadd tcb (_ bv1488 64))) (bvule (bvadd (bvadd tcb (_ bv1488 64)) (_ bv8 64)) ?x16))))
 (let (($x157 (or (bvule (bvadd ?x16 (_ bv32 64)) (bvadd tcb (_ bv1480 64))) (bvule (bvadd (bvadd tcb (_ bv1480 64)) (_ bv8 64)) ?x16))))
 (let (($x152 (or (bvule (bvadd ?x16 (_ bv32 64)) (bvadd tcb (_ bv1472 64))) (bvule (bvadd (bvadd tcb (_ bv1472 64)) (_ bv8 64)) ?x16))))
 (let (($x147 (or (bvule (bvadd ?x16 (_ bv32 64)) (bvadd tcb (_ bv256 64))) (bvule (bvadd (bvadd tcb (_ bv256 64)) (_ bv8 64)) ?x16))))
 (let (($x142 (or (bvule (bvadd ?x16 (_ bv32 64)) (bvadd tcb (_ bv248 64))) (bvule (bvadd (bvadd tcb (_ bv248 64)) (_ bv8 64)) ?x16))))
 (let (($x137 (or (bvule (bvadd ?x16 (_ bv32 64)) (bvadd tcb (_ bv240 64))) (bvule (bvadd (bvadd tcb (_ bv240 64)) (_ bv8 64)) ?x16))))
 (let (($x132 (or (bvule (bvadd ?x16 (_ bv32 64)) (bvadd tcb (_ bv232 64))) (bvule (bvadd (bvadd tcb (_ bv232 64)) (_ bv8 64)) ?x16))))
 (let (($x127 (or (bvule (bvadd ?x16 (_ bv32 64)) (bvadd tcb (_ bv224 64))) (bvule (bvadd (bvadd tcb (_ bv224 64)) (_ bv8 64)) ?x16))))
 (let (($x122 (or (bvule (bvadd ?x16 (_ bv32 64)) (bvadd tcb (_ bv216 64))) (bvule (bvadd (bvadd tcb (_ bv216 64)) (_ bv8 64)) ?x16))))
 (let (($x117 (or (bvule (bvadd ?x16 (_ bv32 64)) (bvadd tcb (_ bv208 64))) (bvule (bvadd (bvadd tcb (_ bv208 64)) (_ bv8 64)) ?x16))))
 (let (($x112 (or (bvule (bvadd ?x16 (_ bv32 64)) (bvadd tcb (_ bv200 64))) (bvule (bvadd (bvadd tcb (_ bv200 64)) (_ bv8 64)) ?x16))))
 (let (($x107 (or (bvule (bvadd ?x16 (_ bv32 64)) (bvadd tcb (_ bv192 64))) (bvule (bvadd (bvadd tcb (_ bv192 64)) (_ bv8 64)) ?x16))))
 (let (($x102 (or (bvule (bvadd ?x16 (_ bv32 64)) (bvadd tcb (_ bv184 64))) (bvule (bvadd (bvadd tcb (_ bv184 64)) (_ bv8 64)) ?x16))))
 (let (($x97 (or (bvule (bvadd ?x16 (_ bv32 64)) (bvadd tcb (_ bv176 64))) (bvule (bvadd (bvadd tcb (_ bv176 64)) (_ bv8 64)) ?x16))))
 (let (($x92 (or (bvule (bvadd ?x16 (_ bv32 64)) (bvadd tcb (_ bv168 64))) (bvule (bvadd (bvadd tcb (_ bv168 64)) (_ bv8 64)) ?x16))))
 (let (($x88 (or (bvule (bvadd ?x16 (_ bv32 64)) (bvadd tcb (_ bv160 64))) (bvule (bvadd (bvadd tcb (_ bv160 64)) (_ bv8 64)) ?x16))))
 (let (($x118 (and (and (and (and (and (and $x88 $x92) $x97) $x102) $x107) $x112) $x117)))
 (let (($x148 (and (and (and (and (and (and $x118 $x122) $x127) $x132) $x137) $x142) $x147)))
 (let (($x178 (and (and (and (and (and (and $x148 $x152) $x157) $x162) $x167) $x172) $x177)))
 (let (($x198 (and (and (and (and $x178 $x182) $x187) $x192) (or (bvule (bvadd ?x16 (_ bv32 64)) ?x68) (bvule (bvadd ?x68 (_ bv8 64)) ?x16)))))
 (let (($x203 (and $x198 (or (bvule (bvadd ?x16 (_ bv32 64)) ?x75) (bvule (bvadd ?x75 (_ bv8 64)) ?x16)))))
 (let (($x208 (and $x203 (or (bvule (bvadd ?x16 (_ bv32 64)) ?x82) (bvule (bvadd ?x82 (_ bv8 64)) ?x16)))))
 (not $x208))))))))))))))))))))))))))))))))))
(check-sat)
