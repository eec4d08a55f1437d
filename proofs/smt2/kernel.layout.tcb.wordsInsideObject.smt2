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
 (let ((?x87 (bvadd (bvadd tcb (_ bv2000 64)) (bvmul tcbCapsOrBadgesIndex (_ bv8 64)))))
 (let ((?x80 (bvadd (bvadd tcb (_ bv1224 64)) (bvmul tcbRegistersIndex (_ bv8 64)))))
 (let ((?x73 (bvadd (bvadd tcb (_ bv264 64)) (bvmul tcbMsgRegistersIndex (_ bv8 64)))))
 (let (($x91 (and (bvule tcb (bvadd tcb (_ bv160 64))) (bvule (bvadd (bvadd tcb (_ bv160 64)) (_ bv8 64)) ?x13))))
 (let (($x96 (and (and $x91 (bvule tcb (bvadd tcb (_ bv168 64)))) (bvule (bvadd (bvadd tcb (_ bv168 64)) (_ bv8 64)) ?x13))))
 (let (($x101 (and (and $x96 (bvule tcb (bvadd tcb (_ bv176 64)))) (bvule (bvadd (bvadd tcb (_ bv176 64)) (_ bv8 64)) ?x13))))
 (let (($x106 (and (and $x101 (bvule tcb (bvadd tcb (_ bv184 64)))) (bvule (bvadd (bvadd tcb (_ bv184 64)) (_ bv8 64)) ?x13))))
 (let (($x111 (and (and $x106 (bvule tcb (bvadd tcb (_ bv192 64)))) (bvule (bvadd (bvadd tcb (_ bv192 64)) (_ bv8 64)) ?x13))))
 (let (($x116 (and (and $x111 (bvule tcb (bvadd tcb (_ bv200 64)))) (bvule (bvadd (bvadd tcb (_ bv200 64)) (_ bv8 64)) ?x13))))
 (let (($x121 (and (and $x116 (bvule tcb (bvadd tcb (_ bv208 64)))) (bvule (bvadd (bvadd tcb (_ bv208 64)) (_ bv8 64)) ?x13))))
 (let (($x126 (and (and $x121 (bvule tcb (bvadd tcb (_ bv216 64)))) (bvule (bvadd (bvadd tcb (_ bv216 64)) (_ bv8 64)) ?x13))))
 (let (($x131 (and (and $x126 (bvule tcb (bvadd tcb (_ bv224 64)))) (bvule (bvadd (bvadd tcb (_ bv224 64)) (_ bv8 64)) ?x13))))
 (let (($x136 (and (and $x131 (bvule tcb (bvadd tcb (_ bv232 64)))) (bvule (bvadd (bvadd tcb (_ bv232 64)) (_ bv8 64)) ?x13))))
 (let (($x141 (and (and $x136 (bvule tcb (bvadd tcb (_ bv240 64)))) (bvule (bvadd (bvadd tcb (_ bv240 64)) (_ bv8 64)) ?x13))))
 (let (($x146 (and (and $x141 (bvule tcb (bvadd tcb (_ bv248 64)))) (bvule (bvadd (bvadd tcb (_ bv248 64)) (_ bv8 64)) ?x13))))
 (let (($x151 (and (and $x146 (bvule tcb (bvadd tcb (_ bv256 64)))) (bvule (bvadd (bvadd tcb (_ bv256 64)) (_ bv8 64)) ?x13))))
 (let (($x156 (and (and $x151 (bvule tcb (bvadd tcb (_ bv1472 64)))) (bvule (bvadd (bvadd tcb (_ bv1472 64)) (_ bv8 64)) ?x13))))
 (let (($x161 (and (and $x156 (bvule tcb (bvadd tcb (_ bv1480 64)))) (bvule (bvadd (bvadd tcb (_ bv1480 64)) (_ bv8 64)) ?x13))))
 (let (($x166 (and (and $x161 (bvule tcb (bvadd tcb (_ bv1488 64)))) (bvule (bvadd (bvadd tcb (_ bv1488 64)) (_ bv8 64)) ?x13))))
 (let (($x171 (and (and $x166 (bvule tcb (bvadd tcb (_ bv1496 64)))) (bvule (bvadd (bvadd tcb (_ bv1496 64)) (_ bv8 64)) ?x13))))
 (let (($x176 (and (and $x171 (bvule tcb (bvadd tcb (_ bv1504 64)))) (bvule (bvadd (bvadd tcb (_ bv1504 64)) (_ bv8 64)) ?x13))))
 (let (($x181 (and (and $x176 (bvule tcb (bvadd tcb (_ bv2024 64)))) (bvule (bvadd (bvadd tcb (_ bv2024 64)) (_ bv8 64)) ?x13))))
 (let (($x186 (and (and $x181 (bvule tcb (bvadd tcb (_ bv2032 64)))) (bvule (bvadd (bvadd tcb (_ bv2032 64)) (_ bv8 64)) ?x13))))
 (let (($x191 (and (and $x186 (bvule tcb (bvadd tcb (_ bv2040 64)))) (bvule (bvadd (bvadd tcb (_ bv2040 64)) (_ bv8 64)) ?x13))))
 (let (($x196 (and (and $x191 (bvule tcb (bvadd tcb (_ bv1512 64)))) (bvule (bvadd (bvadd tcb (_ bv1512 64)) (_ bv8 64)) ?x13))))
 (let (($x201 (and (and $x196 (bvule tcb (bvadd tcb (_ bv1968 64)))) (bvule (bvadd (bvadd tcb (_ bv1968 64)) (_ bv8 64)) ?x13))))
 (let (($x206 (and (and $x201 (bvule tcb (bvadd tcb (_ bv1976 64)))) (bvule (bvadd (bvadd tcb (_ bv1976 64)) (_ bv8 64)) ?x13))))
 (let (($x211 (and (and $x206 (bvule tcb (bvadd tcb (_ bv1984 64)))) (bvule (bvadd (bvadd tcb (_ bv1984 64)) (_ bv8 64)) ?x13))))
 (let (($x216 (and (and $x211 (bvule tcb (bvadd tcb (_ bv1992 64)))) (bvule (bvadd (bvadd tcb (_ bv1992 64)) (_ bv8 64)) ?x13))))
 (let (($x223 (and (and (and $x216 (bvule tcb ?x73)) (bvule (bvadd ?x73 (_ bv8 64)) ?x13)) (bvule tcb ?x80))))
 (let (($x231 (and (and (and $x223 (bvule (bvadd ?x80 (_ bv8 64)) ?x13)) (bvule tcb ?x87)) (bvule (bvadd ?x87 (_ bv8 64)) ?x13))))
 (not $x231))))))))))))))))))))))))))))))))))
(check-sat)
