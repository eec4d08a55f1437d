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
 (let ((?x90 (bvadd (bvadd tcb (_ bv2000 64)) (bvmul tcbCapsOrBadgesIndex (_ bv8 64)))))
 (let ((?x83 (bvadd (bvadd tcb (_ bv1224 64)) (bvmul tcbRegistersIndex (_ bv8 64)))))
 (let ((?x76 (bvadd (bvadd tcb (_ bv264 64)) (bvmul tcbMsgRegistersIndex (_ bv8 64)))))
 (let (($x220 (or (bvule (bvadd ?x16 (_ bv32 64)) (bvadd tcb (_ bv1992 64))) (bvule (bvadd (bvadd tcb (_ bv1992 64)) (_ bv8 64)) ?x16))))
 (let (($x215 (or (bvule (bvadd ?x16 (_ bv32 64)) (bvadd tcb (_ bv1984 64))) (bvule (bvadd (bvadd tcb (_ bv1984 64)) (_ bv8 64)) ?x16))))
 (let (($x210 (or (bvule (bvadd ?x16 (_ bv32 64)) (bvadd tcb (_ bv1976 64))) (bvule (bvadd (bvadd tcb (_ bv1976 64)) (_ bv8 64)) ?x16))))
 (let (($x205 (or (bvule (bvadd ?x16 (_ bv32 64)) (bvadd tcb (_ bv1968 64))) (bvule (bvadd (bvadd tcb (_ bv1968 64)) (_ bv8 64)) ?x16))))
 (let (($x200 (or (bvule (bvadd ?x16 (_ bv32 64)) (bvadd tcb (_ bv1512 64))) (bvule (bvadd (bvadd tcb (_ bv1512 64)) (_ bv8 64)) ?x16))))
 (let (($x195 (or (bvule (bvadd ?x16 (_ bv32 64)) (bvadd tcb (_ bv2040 64))) (bvule (bvadd (bvadd tcb (_ bv2040 64)) (_ bv8 64)) ?x16))))
 (let (($x190 (or (bvule (bvadd ?x16 (_ bv32 64)) (bvadd tcb (_ bv2032 64))) (bvule (bvadd (bvadd tcb (_ bv2032 64)) (_ bv8 64)) ?x16))))
 (let (($x185 (or (bvule (bvadd ?x16 (_ bv32 64)) (bvadd tcb (_ bv2024 64))) (bvule (bvadd (bvadd tcb (_ bv2024 64)) (_ bv8 64)) ?x16))))
 (let (($x180 (or (bvule (bvadd ?x16 (_ bv32 64)) (bvadd tcb (_ bv1504 64))) (bvule (bvadd (bvadd tcb (_ bv1504 64)) (_ bv8 64)) ?x16))))
 (let (($x175 (or (bvule (bvadd ?x16 (_ bv32 64)) (bvadd tcb (_ bv1496 64))) (bvule (bvadd (bvadd tcb (_ bv1496 64)) (_ bv8 64)) ?x16))))
 (let (($x170 (or (bvule (bvadd ?x16 (_ bv32 64)) (bvadd tcb (_ bv1488 64))) (bvule (bvadd (bvadd tcb (_ bv1488 64)) (_ bv8 64)) ?x16))))
 (let (($x165 (or (bvule (bvadd ?x16 (_ bv32 64)) (bvadd tcb (_ bv1480 64))) (bvule (bvadd (bvadd tcb (_ bv1480 64)) (_ bv8 64)) ?x16))))
 (let (($x160 (or (bvule (bvadd ?x16 (_ bv32 64)) (bvadd tcb (_ bv1472 64))) (bvule (bvadd (bvadd tcb (_ bv1472 64)) (_ bv8 64)) ?x16))))
 (let (($x155 (or (bvule (bvadd ?x16 (_ bv32 64)) (bvadd tcb (_ bv256 64))) (bvule (bvadd (bvadd tcb (_ bv256 64)) (_ bv8 64)) ?x16))))
 (let (($x150 (or (bvule (bvadd ?x16 (_ bv32 64)) (bvadd tcb (_ bv248 64))) (bvule (bvadd (bvadd tcb (_ bv248 64)) (_ bv8 64)) ?x16))))
 (let (($x145 (or (bvule (bvadd ?x16 (_ bv32 64)) (bvadd tcb (_ bv240 64))) (bvule (bvadd (bvadd tcb (_ bv240 64)) (_ bv8 64)) ?x16))))
 (let (($x140 (or (bvule (bvadd ?x16 (_ bv32 64)) (bvadd tcb (_ bv232 64))) (bvule (bvadd (bvadd tcb (_ bv232 64)) (_ bv8 64)) ?x16))))
 (let (($x135 (or (bvule (bvadd ?x16 (_ bv32 64)) (bvadd tcb (_ bv224 64))) (bvule (bvadd (bvadd tcb (_ bv224 64)) (_ bv8 64)) ?x16))))
 (let (($x130 (or (bvule (bvadd ?x16 (_ bv32 64)) (bvadd tcb (_ bv216 64))) (bvule (bvadd (bvadd tcb (_ bv216 64)) (_ bv8 64)) ?x16))))
 (let (($x125 (or (bvule (bvadd ?x16 (_ bv32 64)) (bvadd tcb (_ bv208 64))) (bvule (bvadd (bvadd tcb (_ bv208 64)) (_ bv8 64)) ?x16))))
 (let (($x120 (or (bvule (bvadd ?x16 (_ bv32 64)) (bvadd tcb (_ bv200 64))) (bvule (bvadd (bvadd tcb (_ bv200 64)) (_ bv8 64)) ?x16))))
 (let (($x115 (or (bvule (bvadd ?x16 (_ bv32 64)) (bvadd tcb (_ bv192 64))) (bvule (bvadd (bvadd tcb (_ bv192 64)) (_ bv8 64)) ?x16))))
 (let (($x110 (or (bvule (bvadd ?x16 (_ bv32 64)) (bvadd tcb (_ bv184 64))) (bvule (bvadd (bvadd tcb (_ bv184 64)) (_ bv8 64)) ?x16))))
 (let (($x105 (or (bvule (bvadd ?x16 (_ bv32 64)) (bvadd tcb (_ bv176 64))) (bvule (bvadd (bvadd tcb (_ bv176 64)) (_ bv8 64)) ?x16))))
 (let (($x100 (or (bvule (bvadd ?x16 (_ bv32 64)) (bvadd tcb (_ bv168 64))) (bvule (bvadd (bvadd tcb (_ bv168 64)) (_ bv8 64)) ?x16))))
 (let (($x96 (or (bvule (bvadd ?x16 (_ bv32 64)) (bvadd tcb (_ bv160 64))) (bvule (bvadd (bvadd tcb (_ bv160 64)) (_ bv8 64)) ?x16))))
 (let (($x126 (and (and (and (and (and (and $x96 $x100) $x105) $x110) $x115) $x120) $x125)))
 (let (($x156 (and (and (and (and (and (and $x126 $x130) $x135) $x140) $x145) $x150) $x155)))
 (let (($x186 (and (and (and (and (and (and $x156 $x160) $x165) $x170) $x175) $x180) $x185)))
 (let (($x216 (and (and (and (and (and (and $x186 $x190) $x195) $x200) $x205) $x210) $x215)))
 (let (($x226 (and (and $x216 $x220) (or (bvule (bvadd ?x16 (_ bv32 64)) ?x76) (bvule (bvadd ?x76 (_ bv8 64)) ?x16)))))
 (let (($x231 (and $x226 (or (bvule (bvadd ?x16 (_ bv32 64)) ?x83) (bvule (bvadd ?x83 (_ bv8 64)) ?x16)))))
 (let (($x236 (and $x231 (or (bvule (bvadd ?x16 (_ bv32 64)) ?x90) (bvule (bvadd ?x90 (_ bv8 64)) ?x16)))))
 (not $x236)))))))))))))))))))))))))))))))))))))))
(check-sat)
