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
 (let ((?x16 (bvadd tcb (bvshl slot (_ bv5 64)))))
 (let ((?x69 (bvadd (bvadd tcb (_ bv1224 64)) (bvmul tcbRegistersIndex (_ bv8 64)))))
 (let ((?x62 (bvadd (bvadd tcb (_ bv264 64)) (bvmul tcbMsgRegistersIndex (_ bv8 64)))))
 (let (($x164 (or (bvule (bvadd ?x16 (_ bv32 64)) (bvadd tcb (_ bv1512 64))) (bvule (bvadd (bvadd tcb (_ bv1512 64)) (_ bv8 64)) ?x16))))
 (let (($x159 (or (bvule (bvadd ?x16 (_ bv32 64)) (bvadd tcb (_ bv1504 64))) (bvule (bvadd (bvadd tcb (_ bv1504 64)) (_ bv8 64)) ?x16))))
 (let (($x154 (or (bvule (bvadd ?x16 (_ bv32 64)) (bvadd tcb (_ bv1496 64))) (bvule (bvadd (bvadd tcb (_ bv1496 64)) (_ bv8 64)) ?x16))))
 (let (($x149 (or (bvule (bvadd ?x16 (_ bv32 64)) (bvadd tcb (_ bv1488 64))) (bvule (bvadd (bvadd tcb (_ bv1488 64)) (_ bv8 64)) ?x16))))
 (let (($x144 (or (bvule (bvadd ?x16 (_ bv32 64)) (bvadd tcb (_ bv1480 64))) (bvule (bvadd (bvadd tcb (_ bv1480 64)) (_ bv8 64)) ?x16))))
 (let (($x139 (or (bvule (bvadd ?x16 (_ bv32 64)) (bvadd tcb (_ bv1472 64))) (bvule (bvadd (bvadd tcb (_ bv1472 64)) (_ bv8 64)) ?x16))))
 (let (($x134 (or (bvule (bvadd ?x16 (_ bv32 64)) (bvadd tcb (_ bv256 64))) (bvule (bvadd (bvadd tcb (_ bv256 64)) (_ bv8 64)) ?x16))))
 (let (($x129 (or (bvule (bvadd ?x16 (_ bv32 64)) (bvadd tcb (_ bv248 64))) (bvule (bvadd (bvadd tcb (_ bv248 64)) (_ bv8 64)) ?x16))))
 (let (($x124 (or (bvule (bvadd ?x16 (_ bv32 64)) (bvadd tcb (_ bv240 64))) (bvule (bvadd (bvadd tcb (_ bv240 64)) (_ bv8 64)) ?x16))))
 (let (($x119 (or (bvule (bvadd ?x16 (_ bv32 64)) (bvadd tcb (_ bv232 64))) (bvule (bvadd (bvadd tcb (_ bv232 64)) (_ bv8 64)) ?x16))))
 (let (($x114 (or (bvule (bvadd ?x16 (_ bv32 64)) (bvadd tcb (_ bv224 64))) (bvule (bvadd (bvadd tcb (_ bv224 64)) (_ bv8 64)) ?x16))))
 (let (($x109 (or (bvule (bvadd ?x16 (_ bv32 64)) (bvadd tcb (_ bv216 64))) (bvule (bvadd (bvadd tcb (_ bv216 64)) (_ bv8 64)) ?x16))))
 (let (($x104 (or (bvule (bvadd ?x16 (_ bv32 64)) (bvadd tcb (_ bv208 64))) (bvule (bvadd (bvadd tcb (_ bv208 64)) (_ bv8 64)) ?x16))))
 (let (($x99 (or (bvule (bvadd ?x16 (_ bv32 64)) (bvadd tcb (_ bv200 64))) (bvule (bvadd (bvadd tcb (_ bv200 64)) (_ bv8 64)) ?x16))))
 (let (($x94 (or (bvule (bvadd ?x16 (_ bv32 64)) (bvadd tcb (_ bv192 64))) (bvule (bvadd (bvadd tcb (_ bv192 64)) (_ bv8 64)) ?x16))))
 (let (($x89 (or (bvule (bvadd ?x16 (_ bv32 64)) (bvadd tcb (_ bv184 64))) (bvule (bvadd (bvadd tcb (_ bv184 64)) (_ bv8 64)) ?x16))))
 (let (($x84 (or (bvule (bvadd ?x16 (_ bv32 64)) (bvadd tcb (_ bv176 64))) (bvule (bvadd (bvadd tcb (_ bv176 64)) (_ bv8 64)) ?x16))))
 (let (($x79 (or (bvule (bvadd ?x16 (_ bv32 64)) (bvadd tcb (_ bv168 64))) (bvule (bvadd (bvadd tcb (_ bv168 64)) (_ bv8 64)) ?x16))))
 (let (($x75 (or (bvule (bvadd ?x16 (_ bv32 64)) (bvadd tcb (_ bv160 64))) (bvule (bvadd (bvadd tcb (_ bv160 64)) (_ bv8 64)) ?x16))))
 (let (($x105 (and (and (and (and (and (and $x75 $x79) $x84) $x89) $x94) $x99) $x104)))
 (let (($x135 (and (and (and (and (and (and $x105 $x109) $x114) $x119) $x124) $x129) $x134)))
 (let (($x165 (and (and (and (and (and (and $x135 $x139) $x144) $x149) $x154) $x159) $x164)))
 (let (($x170 (and $x165 (or (bvule (bvadd ?x16 (_ bv32 64)) ?x62) (bvule (bvadd ?x62 (_ bv8 64)) ?x16)))))
 (let (($x175 (and $x170 (or (bvule (bvadd ?x16 (_ bv32 64)) ?x69) (bvule (bvadd ?x69 (_ bv8 64)) ?x16)))))
 (not $x175)))))))))))))))))))))))))))))
(check-sat)
