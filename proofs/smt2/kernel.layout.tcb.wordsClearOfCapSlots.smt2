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
 (let ((?x67 (bvadd (bvadd tcb (_ bv1224 64)) (bvmul tcbRegistersIndex (_ bv8 64)))))
 (let ((?x60 (bvadd (bvadd tcb (_ bv264 64)) (bvmul tcbMsgRegistersIndex (_ bv8 64)))))
 (let (($x157 (or (bvule (bvadd ?x16 (_ bv32 64)) (bvadd tcb (_ bv1504 64))) (bvule (bvadd (bvadd tcb (_ bv1504 64)) (_ bv8 64)) ?x16))))
 (let (($x152 (or (bvule (bvadd ?x16 (_ bv32 64)) (bvadd tcb (_ bv1496 64))) (bvule (bvadd (bvadd tcb (_ bv1496 64)) (_ bv8 64)) ?x16))))
 (let (($x147 (or (bvule (bvadd ?x16 (_ bv32 64)) (bvadd tcb (_ bv1488 64))) (bvule (bvadd (bvadd tcb (_ bv1488 64)) (_ bv8 64)) ?x16))))
 (let (($x142 (or (bvule (bvadd ?x16 (_ bv32 64)) (bvadd tcb (_ bv1480 64))) (bvule (bvadd (bvadd tcb (_ bv1480 64)) (_ bv8 64)) ?x16))))
 (let (($x137 (or (bvule (bvadd ?x16 (_ bv32 64)) (bvadd tcb (_ bv1472 64))) (bvule (bvadd (bvadd tcb (_ bv1472 64)) (_ bv8 64)) ?x16))))
 (let (($x132 (or (bvule (bvadd ?x16 (_ bv32 64)) (bvadd tcb (_ bv256 64))) (bvule (bvadd (bvadd tcb (_ bv256 64)) (_ bv8 64)) ?x16))))
 (let (($x127 (or (bvule (bvadd ?x16 (_ bv32 64)) (bvadd tcb (_ bv248 64))) (bvule (bvadd (bvadd tcb (_ bv248 64)) (_ bv8 64)) ?x16))))
 (let (($x122 (or (bvule (bvadd ?x16 (_ bv32 64)) (bvadd tcb (_ bv240 64))) (bvule (bvadd (bvadd tcb (_ bv240 64)) (_ bv8 64)) ?x16))))
 (let (($x117 (or (bvule (bvadd ?x16 (_ bv32 64)) (bvadd tcb (_ bv232 64))) (bvule (bvadd (bvadd tcb (_ bv232 64)) (_ bv8 64)) ?x16))))
 (let (($x112 (or (bvule (bvadd ?x16 (_ bv32 64)) (bvadd tcb (_ bv224 64))) (bvule (bvadd (bvadd tcb (_ bv224 64)) (_ bv8 64)) ?x16))))
 (let (($x107 (or (bvule (bvadd ?x16 (_ bv32 64)) (bvadd tcb (_ bv216 64))) (bvule (bvadd (bvadd tcb (_ bv216 64)) (_ bv8 64)) ?x16))))
 (let (($x102 (or (bvule (bvadd ?x16 (_ bv32 64)) (bvadd tcb (_ bv208 64))) (bvule (bvadd (bvadd tcb (_ bv208 64)) (_ bv8 64)) ?x16))))
 (let (($x97 (or (bvule (bvadd ?x16 (_ bv32 64)) (bvadd tcb (_ bv200 64))) (bvule (bvadd (bvadd tcb (_ bv200 64)) (_ bv8 64)) ?x16))))
 (let (($x92 (or (bvule (bvadd ?x16 (_ bv32 64)) (bvadd tcb (_ bv192 64))) (bvule (bvadd (bvadd tcb (_ bv192 64)) (_ bv8 64)) ?x16))))
 (let (($x87 (or (bvule (bvadd ?x16 (_ bv32 64)) (bvadd tcb (_ bv184 64))) (bvule (bvadd (bvadd tcb (_ bv184 64)) (_ bv8 64)) ?x16))))
 (let (($x82 (or (bvule (bvadd ?x16 (_ bv32 64)) (bvadd tcb (_ bv176 64))) (bvule (bvadd (bvadd tcb (_ bv176 64)) (_ bv8 64)) ?x16))))
 (let (($x77 (or (bvule (bvadd ?x16 (_ bv32 64)) (bvadd tcb (_ bv168 64))) (bvule (bvadd (bvadd tcb (_ bv168 64)) (_ bv8 64)) ?x16))))
 (let (($x73 (or (bvule (bvadd ?x16 (_ bv32 64)) (bvadd tcb (_ bv160 64))) (bvule (bvadd (bvadd tcb (_ bv160 64)) (_ bv8 64)) ?x16))))
 (let (($x103 (and (and (and (and (and (and $x73 $x77) $x82) $x87) $x92) $x97) $x102)))
 (let (($x133 (and (and (and (and (and (and $x103 $x107) $x112) $x117) $x122) $x127) $x132)))
 (let (($x163 (and (and (and (and (and (and $x133 $x137) $x142) $x147) $x152) $x157) (or (bvule (bvadd ?x16 (_ bv32 64)) ?x60) (bvule (bvadd ?x60 (_ bv8 64)) ?x16)))))
 (let (($x168 (and $x163 (or (bvule (bvadd ?x16 (_ bv32 64)) ?x67) (bvule (bvadd ?x67 (_ bv8 64)) ?x16)))))
 (not $x168)))))))))))))))))))))))))))
(check-sat)
