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
 (let ((?x57 (bvadd (bvadd tcb (_ bv1224 64)) (bvmul tcbRegistersIndex (_ bv8 64)))))
 (let ((?x50 (bvadd (bvadd tcb (_ bv264 64)) (bvmul tcbMsgRegistersIndex (_ bv8 64)))))
 (let (($x122 (or (bvule (bvadd ?x16 (_ bv32 64)) (bvadd tcb (_ bv256 64))) (bvule (bvadd (bvadd tcb (_ bv256 64)) (_ bv8 64)) ?x16))))
 (let (($x117 (or (bvule (bvadd ?x16 (_ bv32 64)) (bvadd tcb (_ bv248 64))) (bvule (bvadd (bvadd tcb (_ bv248 64)) (_ bv8 64)) ?x16))))
 (let (($x112 (or (bvule (bvadd ?x16 (_ bv32 64)) (bvadd tcb (_ bv240 64))) (bvule (bvadd (bvadd tcb (_ bv240 64)) (_ bv8 64)) ?x16))))
 (let (($x107 (or (bvule (bvadd ?x16 (_ bv32 64)) (bvadd tcb (_ bv232 64))) (bvule (bvadd (bvadd tcb (_ bv232 64)) (_ bv8 64)) ?x16))))
 (let (($x102 (or (bvule (bvadd ?x16 (_ bv32 64)) (bvadd tcb (_ bv224 64))) (bvule (bvadd (bvadd tcb (_ bv224 64)) (_ bv8 64)) ?x16))))
 (let (($x97 (or (bvule (bvadd ?x16 (_ bv32 64)) (bvadd tcb (_ bv216 64))) (bvule (bvadd (bvadd tcb (_ bv216 64)) (_ bv8 64)) ?x16))))
 (let (($x92 (or (bvule (bvadd ?x16 (_ bv32 64)) (bvadd tcb (_ bv208 64))) (bvule (bvadd (bvadd tcb (_ bv208 64)) (_ bv8 64)) ?x16))))
 (let (($x87 (or (bvule (bvadd ?x16 (_ bv32 64)) (bvadd tcb (_ bv200 64))) (bvule (bvadd (bvadd tcb (_ bv200 64)) (_ bv8 64)) ?x16))))
 (let (($x82 (or (bvule (bvadd ?x16 (_ bv32 64)) (bvadd tcb (_ bv192 64))) (bvule (bvadd (bvadd tcb (_ bv192 64)) (_ bv8 64)) ?x16))))
 (let (($x77 (or (bvule (bvadd ?x16 (_ bv32 64)) (bvadd tcb (_ bv184 64))) (bvule (bvadd (bvadd tcb (_ bv184 64)) (_ bv8 64)) ?x16))))
 (let (($x72 (or (bvule (bvadd ?x16 (_ bv32 64)) (bvadd tcb (_ bv176 64))) (bvule (bvadd (bvadd tcb (_ bv176 64)) (_ bv8 64)) ?x16))))
 (let (($x67 (or (bvule (bvadd ?x16 (_ bv32 64)) (bvadd tcb (_ bv168 64))) (bvule (bvadd (bvadd tcb (_ bv168 64)) (_ bv8 64)) ?x16))))
 (let (($x63 (or (bvule (bvadd ?x16 (_ bv32 64)) (bvadd tcb (_ bv160 64))) (bvule (bvadd (bvadd tcb (_ bv160 64)) (_ bv8 64)) ?x16))))
 (let (($x93 (and (and (and (and (and (and $x63 $x67) $x72) $x77) $x82) $x87) $x92)))
 (let (($x123 (and (and (and (and (and (and $x93 $x97) $x102) $x107) $x112) $x117) $x122)))
 (let (($x128 (and $x123 (or (bvule (bvadd ?x16 (_ bv32 64)) ?x50) (bvule (bvadd ?x50 (_ bv8 64)) ?x16)))))
 (let (($x133 (and $x128 (or (bvule (bvadd ?x16 (_ bv32 64)) ?x57) (bvule (bvadd ?x57 (_ bv8 64)) ?x16)))))
 (not $x133))))))))))))))))))))))
(check-sat)
