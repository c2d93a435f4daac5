#pragma once
// std::mt19937_64's exact sequence (same seeding, same outputs, tested against the standard
// engine), with lazy seeding. The standard engine fills all 312 state words when seeded and
// twists all of them at the first draw: about 3000 cycles, paid by every stream that is
// reseeded per image (an array reseeds several per inference and usually draws one number
// from each). Here seeding stores the seed; a draw from the first block computes only the
// state words it depends on (output k needs seed words k, k + 1 and k + 156), so the first
// draw costs 157 seeding steps and each further one a step more; seed_sparse takes words 1
// and 156 computed elsewhere (ReseedBatch). After eight such draws the rest of the first
// block is computed at once, and later blocks are twisted whole, as the standard engine does.
#include <algorithm>
#include <cstddef>
#include <cstdint>

namespace scbnn {

class MersenneTwister64 {
 public:
  using result_type = uint64_t;  // NOLINT(readability-identifier-naming): the standard's name
  static constexpr size_t kStateWords = 312, kShift = 156;

  explicit MersenneTwister64(uint64_t seed_value = 5489u) { seed(seed_value); }

  static constexpr result_type min() { return 0; }
  static constexpr result_type max() { return ~result_type(0); }

  void seed(uint64_t seed_value) {
    x_[0] = seed_value;
    seeded_ = 1;
    next_ = 0;
    first_block_ = true;
    sparse_ = false;
  }

  // Seeds with `seed_value` given seed words 1 and 156 computed elsewhere (a batch of
  // seeding chains run side by side): all the first draw needs. Each further draw of the
  // first block extends both ends by a word (output k needs words k + 1 and k + 156).
  void seed_sparse(uint64_t seed_value, uint64_t word1, uint64_t word156) {
    x_[0] = seed_value;
    x_[1] = word1;
    x_[kShift] = word156;
    seeded_ = kShift + 1;
    low_ = 1;
    next_ = 0;
    first_block_ = true;
    sparse_ = true;
  }

  // Seed word i (1 <= i < 312) of the chain after `previous`, as seeding computes it.
  static uint64_t seeding_step(uint64_t previous, size_t i) {
    return kSeedMultiplier * (previous ^ (previous >> 62)) + i;
  }

  result_type operator()() {
    if (next_ == kStateWords) {
      twist_block();
    } else if (first_block_) {
      if (next_ == kLazyDraws) {
        finish_first_block();  // a stream that keeps drawing: the rest of the block at once
      } else {
        if (sparse_) extend_low(std::min(next_ + 1, kShift - 1));
        seed_through(std::min(kStateWords, next_ + kShift + 1));
        twist_word(next_);
      }
    }
    return temper(x_[next_++]);
  }

  void discard(unsigned long long z) {
    for (; z > 0; --z) (*this)();
  }

 private:
  static constexpr uint64_t kMatrix = 0xb5026f5aa96619e9ull, kSeedMultiplier = 6364136223846793005ull;
  static constexpr uint64_t kUpper = ~uint64_t(0) << 31, kLower = ~kUpper;

  static uint64_t temper(uint64_t z) {
    z ^= (z >> 29) & 0x5555555555555555ull;
    z ^= (z << 17) & 0x71d67fffeda60000ull;
    z ^= (z << 37) & 0xfff7eee000000000ull;
    return z ^ (z >> 43);
  }

  // Seed words up to `through` (< 156) of a sparse seeding, continuing from word low_ (not
  // yet twisted: draws twist words in order, and word k's twist needs words up to k + 1).
  void extend_low(size_t through) {
    for (; low_ < through; ++low_) x_[low_ + 1] = seeding_step(x_[low_], low_ + 1);
    if (low_ + 1 >= kShift) sparse_ = false;
  }
  void seed_through(size_t words) {
    for (; seeded_ < words; ++seeded_) x_[seeded_] = seeding_step(x_[seeded_ - 1], seeded_);
  }
  static constexpr size_t kLazyDraws = 8;  // first-block draws made word by word

  // The standard in-place twist of word k: words after k still hold the previous block.
  void twist_word(size_t k) {
    const uint64_t y = (x_[k] & kUpper) | (x_[(k + 1) % kStateWords] & kLower);
    x_[k] = x_[(k + kShift) % kStateWords] ^ (y >> 1) ^ ((y & 1) ? kMatrix : 0);
  }
  static uint64_t twisted(uint64_t word, uint64_t next_word, uint64_t shifted_word) {
    const uint64_t y = (word & kUpper) | (next_word & kLower);
    return shifted_word ^ (y >> 1) ^ ((y & 1) ? kMatrix : 0);
  }
  // Words `from` .. 311 twisted in order, as twist_word would, without the index wrapping.
  void twist_from(size_t from) {
    size_t k = from;
    for (; k < kStateWords - kShift; ++k) x_[k] = twisted(x_[k], x_[k + 1], x_[k + kShift]);
    for (; k < kStateWords - 1; ++k) x_[k] = twisted(x_[k], x_[k + 1], x_[k - kShift]);
    x_[kStateWords - 1] = twisted(x_[kStateWords - 1], x_[0], x_[kShift - 1]);
  }
  void finish_first_block() {
    if (sparse_) extend_low(kShift - 1);
    seed_through(kStateWords);
    twist_from(next_);
    first_block_ = false;
  }
  void twist_block() {
    twist_from(0);
    next_ = 0;
    first_block_ = false;
  }

  uint64_t x_[kStateWords]{};
  size_t seeded_ = 0;  // seed words computed so far (first block)
  size_t next_ = 0;    // state word of the next output
  bool first_block_ = true;
  bool sparse_ = false;  // words low_ + 1 .. 155 not computed yet (seed_sparse)
  size_t low_ = 0;
};

}  // namespace scbnn
