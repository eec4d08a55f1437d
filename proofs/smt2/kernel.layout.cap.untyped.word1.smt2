; obligation: kernel.layout.cap.untyped.word1
; statement: untyped_cap[1]: every field round-trips and no two fields share a bit
; hypotheses and the negated goal: a proof is `unsat`.
; expect: unsat
; kernel.layout.cap.untyped.word1
(set-info :status unknown)
(set-logic QF_BV)
(declare-fun capBlockSize () (_ BitVec 64))
(declare-fun capIsDevice () (_ BitVec 64))
(declare-fun capFreeIndex () (_ BitVec 64))
(declare-fun word () (_ BitVec 64))
(assert
 (let ((?x26 (bvand capBlockSize (_ bv63 64))))
 (let ((?x16 (bvand (bvor (bvand word (_ bv65535 64)) (bvshl (bvand capFreeIndex (_ bv281474976710655 64)) (_ bv16 64))) (_ bv18446744073709551551 64))))
 (let ((?x29 (bvor (bvand (bvor ?x16 (bvshl (bvand capIsDevice (_ bv1 64)) (_ bv6 64))) (_ bv18446744073709551552 64)) (bvshl ?x26 (_ bv0 64)))))
 (let (($x37 (and (= (bvand ?x29 (_ bv65408 64)) (bvand word (_ bv65408 64))) (= (bvand (bvlshr ?x29 (_ bv16 64)) (_ bv281474976710655 64)) (bvand capFreeIndex (_ bv281474976710655 64))))))
 (let (($x41 (and $x37 (= (bvand (bvlshr ?x29 (_ bv6 64)) (_ bv1 64)) (bvand capIsDevice (_ bv1 64))))))
 (let (($x45 (and $x41 (= (bvand (bvlshr ?x29 (_ bv0 64)) (_ bv63 64)) ?x26))))
 (not $x45))))))))
(check-sat)
