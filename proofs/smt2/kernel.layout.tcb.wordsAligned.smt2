; obligation: kernel.layout.tcb.wordsAligned
; statement: every tcb field word and array word is 8-byte aligned in an object aligned to its 2^11 bytes
; hypotheses and the negated goal: a proof is `unsat`.
; expect: unsat
; kernel.layout.tcb.wordsAligned
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
 (let ((?x170 (bvand (bvadd (bvadd tcb (_ bv2000 64)) (bvmul tcbCapsOrBadgesIndex (_ bv8 64))) (_ bv7 64))))
 (let ((?x167 (bvand (bvadd (bvadd tcb (_ bv1224 64)) (bvmul tcbRegistersIndex (_ bv8 64))) (_ bv7 64))))
 (let ((?x164 (bvand (bvadd (bvadd tcb (_ bv264 64)) (bvmul tcbMsgRegistersIndex (_ bv8 64))) (_ bv7 64))))
 (let (($x91 (and (= (bvand (bvadd tcb (_ bv160 64)) (_ bv7 64)) (_ bv0 64)) (= (bvand (bvadd tcb (_ bv168 64)) (_ bv7 64)) (_ bv0 64)))))
 (let (($x97 (and (and $x91 (= (bvand (bvadd tcb (_ bv176 64)) (_ bv7 64)) (_ bv0 64))) (= (bvand (bvadd tcb (_ bv184 64)) (_ bv7 64)) (_ bv0 64)))))
 (let (($x103 (and (and $x97 (= (bvand (bvadd tcb (_ bv192 64)) (_ bv7 64)) (_ bv0 64))) (= (bvand (bvadd tcb (_ bv200 64)) (_ bv7 64)) (_ bv0 64)))))
 (let (($x109 (and (and $x103 (= (bvand (bvadd tcb (_ bv208 64)) (_ bv7 64)) (_ bv0 64))) (= (bvand (bvadd tcb (_ bv216 64)) (_ bv7 64)) (_ bv0 64)))))
 (let (($x115 (and (and $x109 (= (bvand (bvadd tcb (_ bv224 64)) (_ bv7 64)) (_ bv0 64))) (= (bvand (bvadd tcb (_ bv232 64)) (_ bv7 64)) (_ bv0 64)))))
 (let (($x121 (and (and $x115 (= (bvand (bvadd tcb (_ bv240 64)) (_ bv7 64)) (_ bv0 64))) (= (bvand (bvadd tcb (_ bv248 64)) (_ bv7 64)) (_ bv0 64)))))
 (let (($x127 (and (and $x121 (= (bvand (bvadd tcb (_ bv256 64)) (_ bv7 64)) (_ bv0 64))) (= (bvand (bvadd tcb (_ bv1472 64)) (_ bv7 64)) (_ bv0 64)))))
 (let (($x133 (and (and $x127 (= (bvand (bvadd tcb (_ bv1480 64)) (_ bv7 64)) (_ bv0 64))) (= (bvand (bvadd tcb (_ bv1488 64)) (_ bv7 64)) (_ bv0 64)))))
 (let (($x139 (and (and $x133 (= (bvand (bvadd tcb (_ bv1496 64)) (_ bv7 64)) (_ bv0 64))) (= (bvand (bvadd tcb (_ bv1504 64)) (_ bv7 64)) (_ bv0 64)))))
 (let (($x145 (and (and $x139 (= (bvand (bvadd tcb (_ bv2024 64)) (_ bv7 64)) (_ bv0 64))) (= (bvand (bvadd tcb (_ bv2032 64)) (_ bv7 64)) (_ bv0 64)))))
 (let (($x151 (and (and $x145 (= (bvand (bvadd tcb (_ bv2040 64)) (_ bv7 64)) (_ bv0 64))) (= (bvand (bvadd tcb (_ bv1512 64)) (_ bv7 64)) (_ bv0 64)))))
 (let (($x157 (and (and $x151 (= (bvand (bvadd tcb (_ bv1968 64)) (_ bv7 64)) (_ bv0 64))) (= (bvand (bvadd tcb (_ bv1976 64)) (_ bv7 64)) (_ bv0 64)))))
 (let (($x163 (and (and $x157 (= (bvand (bvadd tcb (_ bv1984 64)) (_ bv7 64)) (_ bv0 64))) (= (bvand (bvadd tcb (_ bv1992 64)) (_ bv7 64)) (_ bv0 64)))))
 (let (($x172 (and (and (and $x163 (= ?x164 (_ bv0 64))) (= ?x167 (_ bv0 64))) (= ?x170 (_ bv0 64)))))
 (not $x172)))))))))))))))))))
(check-sat)
