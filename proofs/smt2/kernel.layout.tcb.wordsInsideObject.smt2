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
 (let ((?x13 (bvadd tcb (_ bv2048 64))))
 (let ((?x79 (bvadd (bvadd tcb (_ bv2000 64)) (bvmul tcbCapsOrBadgesIndex (_ bv8 64)))))
 (let ((?x72 (bvadd (bvadd tcb (_ bv1224 64)) (bvmul tcbRegistersIndex (_ bv8 64)))))
 (let ((?x65 (bvadd (bvadd tcb (_ bv264 64)) (bvmul tcbMsgRegistersIndex (_ bv8 64)))))
 (let (($x83 (and (bvule tcb (bvadd tcb (_ bv160 64))) (bvule (bvadd (bvadd tcb (_ bv160 64)) (_ bv8 64)) ?x13))))
 (let (($x88 (and (and $x83 (bvule tcb (bvadd tcb (_ bv168 64)))) (bvule (bvadd (bvadd tcb (_ bv168 64)) (_ bv8 64)) ?x13))))
 (let (($x93 (and (and $x88 (bvule tcb (bvadd tcb (_ bv176 64)))) (bvule (bvadd (bvadd tcb (_ bv176 64)) (_ bv8 64)) ?x13))))
 (let (($x98 (and (and $x93 (bvule tcb (bvadd tcb (_ bv184 64)))) (bvule (bvadd (bvadd tcb (_ bv184 64)) (_ bv8 64)) ?x13))))
 (let (($x103 (and (and $x98 (bvule tcb (bvadd tcb (_ bv192 64)))) (bvule (bvadd (bvadd tcb (_ bv192 64)) (_ bv8 64)) ?x13))))
 (let (($x108 (and (and $x103 (bvule tcb (bvadd tcb (_ bv200 64)))) (bvule (bvadd (bvadd tcb (_ bv200 64)) (_ bv8 64)) ?x13))))
 (let (($x113 (and (and $x108 (bvule tcb (bvadd tcb (_ bv208 64)))) (bvule (bvadd (bvadd tcb (_ bv208 64)) (_ bv8 64)) ?x13))))
 (let (($x118 (and (and $x113 (bvule tcb (bvadd tcb (_ bv216 64)))) (bvule (bvadd (bvadd tcb (_ bv216 64)) (_ bv8 64)) ?x13))))
 (let (($x123 (and (and $x118 (bvule tcb (bvadd tcb (_ bv224 64)))) (bvule (bvadd (bvadd tcb (_ bv224 64)) (_ bv8 64)) ?x13))))
 (let (($x128 (and (and $x123 (bvule tcb (bvadd tcb (_ bv232 64)))) (bvule (bvadd (bvadd tcb (_ bv232 64)) (_ bv8 64)) ?x13))))
 (let (($x133 (and (and $x128 (bvule tcb (bvadd tcb (_ bv240 64)))) (bvule (bvadd (bvadd tcb (_ bv240 64)) (_ bv8 64)) ?x13))))
 (let (($x138 (and (and $x133 (bvule tcb (bvadd tcb (_ bv248 64)))) (bvule (bvadd (bvadd tcb (_ bv248 64)) (_ bv8 64)) ?x13))))
 (let (($x143 (and (and $x138 (bvule tcb (bvadd tcb (_ bv256 64)))) (bvule (bvadd (bvadd tcb (_ bv256 64)) (_ bv8 64)) ?x13))))
 (let (($x148 (and (and $x143 (bvule tcb (bvadd tcb (_ bv1472 64)))) (bvule (bvadd (bvadd tcb (_ bv1472 64)) (_ bv8 64)) ?x13))))
 (let (($x153 (and (and $x148 (bvule tcb (bvadd tcb (_ bv1480 64)))) (bvule (bvadd (bvadd tcb (_ bv1480 64)) (_ bv8 64)) ?x13))))
 (let (($x158 (and (and $x153 (bvule tcb (bvadd tcb (_ bv1488 64)))) (bvule (bvadd (bvadd tcb (_ bv1488 64)) (_ bv8 64)) ?x13))))
 (let (($x163 (and (and $x158 (bvule tcb (bvadd tcb (_ bv1496 64)))) (bvule (bvadd (bvadd tcb (_ bv1496 64)) (_ bv8 64)) ?x13))))
 (let (($x168 (and (and $x163 (bvule tcb (bvadd tcb (_ bv1504 64)))) (bvule (bvadd (bvadd tcb (_ bv1504 64)) (_ bv8 64)) ?x13))))
 (let (($x173 (and (and $x168 (bvule tcb (bvadd tcb (_ bv2024 64)))) (bvule (bvadd (bvadd tcb (_ bv2024 64)) (_ bv8 64)) ?x13))))
 (let (($x178 (and (and $x173 (bvule tcb (bvadd tcb (_ bv2032 64)))) (bvule (bvadd (bvadd tcb (_ bv2032 64)) (_ bv8 64)) ?x13))))
 (let (($x183 (and (and $x178 (bvule tcb (bvadd tcb (_ bv2040 64)))) (bvule (bvadd (bvadd tcb (_ bv2040 64)) (_ bv8 64)) ?x13))))
 (let (($x188 (and (and $x183 (bvule tcb (bvadd tcb (_ bv1512 64)))) (bvule (bvadd (bvadd tcb (_ bv1512 64)) (_ bv8 64)) ?x13))))
 (let (($x195 (and (and (and $x188 (bvule tcb ?x65)) (bvule (bvadd ?x65 (_ bv8 64)) ?x13)) (bvule tcb ?x72))))
 (let (($x203 (and (and (and $x195 (bvule (bvadd ?x72 (_ bv8 64)) ?x13)) (bvule tcb ?x79)) (bvule (bvadd ?x79 (_ bv8 64)) ?x13))))
 (not $x203))))))))))))))))))))))))))))))
(check-sat)
