/* The scbnn C driver (scbnn/driver/scbnn_driver.h). C99, no allocation, no libc beyond
 * <stddef.h>/<stdint.h>. */
#include "scbnn/driver/scbnn_driver.h"

#define SCBNN_IMAGE_MAGIC 0x49424353u /* "SCBI" */
#define SCBNN_IMAGE_VERSION 1u
#define SCBNN_RECORD_EXPECT 1u
#define SCBNN_RECORD_WRITE 2u

static uint32_t mmio_read32(void* context, uint64_t address) {
  (void)context;
  return *(volatile const uint32_t*)(uintptr_t)address;
}

static void mmio_write32(void* context, uint64_t address, uint32_t value) {
  (void)context;
  *(volatile uint32_t*)(uintptr_t)address = value;
}

static void mmio_write8(void* context, uint64_t address, uint8_t value) {
  (void)context;
  *(volatile uint8_t*)(uintptr_t)address = value;
}

const scbnn_bus_ops scbnn_mmio_bus = {mmio_read32, mmio_write32, mmio_write8};

static uint32_t reg_read(const scbnn_device* dev, uint32_t offset) {
  return dev->bus->read32(dev->context, dev->base + offset);
}

static void reg_write(const scbnn_device* dev, uint32_t offset, uint32_t value) {
  dev->bus->write32(dev->context, dev->base + offset, value);
}

/* Little-endian 32-bit word at p, whatever the CPU's byte order. */
static uint32_t le32(const uint8_t* p) {
  return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) | ((uint32_t)p[3] << 24);
}

/* `count` bytes to the accelerator at `offset`: bytes up to a 4-byte boundary, then
 * little-endian words, then the remaining bytes. */
static void write_bytes(const scbnn_device* dev, uint32_t offset, const uint8_t* data, size_t count) {
  uint64_t address = dev->base + offset;
  size_t i = 0;
  while (i < count && (address & 3u) != 0) {
    dev->bus->write8(dev->context, address++, data[i++]);
  }
  for (; count - i >= 4; i += 4, address += 4) dev->bus->write32(dev->context, address, le32(data + i));
  while (i < count) dev->bus->write8(dev->context, address++, data[i++]);
}

int scbnn_program(const scbnn_device* dev, const uint8_t* image, size_t size, uint32_t* mismatch) {
  size_t at = 12;
  uint32_t records, r, pad;
  if (!dev || !image) return SCBNN_E_ARGUMENT;
  if (size < 12 || le32(image) != SCBNN_IMAGE_MAGIC || le32(image + 4) != SCBNN_IMAGE_VERSION) return SCBNN_E_IMAGE;
  records = le32(image + 8);
  /* Check the whole image before touching the accelerator. */
  for (r = 0; r < records; ++r) {
    uint32_t kind, length;
    if (size - at < 12) return SCBNN_E_IMAGE;
    kind = le32(image + at);
    length = le32(image + at + 8);
    if ((kind != SCBNN_RECORD_EXPECT && kind != SCBNN_RECORD_WRITE) || (kind == SCBNN_RECORD_EXPECT && length != 4))
      return SCBNN_E_IMAGE;
    if ((size - at - 12) / 4 < ((uint64_t)length + 3) / 4) return SCBNN_E_IMAGE;
    for (pad = length; pad % 4 != 0; ++pad)
      if (image[at + 12 + pad] != 0) return SCBNN_E_IMAGE; /* padding must be zeros */
    at += 12 + (size_t)(((uint64_t)length + 3) / 4 * 4);
  }
  if (at != size) return SCBNN_E_IMAGE;
  for (at = 12, r = 0; r < records; ++r) {
    const uint32_t kind = le32(image + at), offset = le32(image + at + 4), length = le32(image + at + 8);
    const uint8_t* data = image + at + 12;
    if (kind == SCBNN_RECORD_EXPECT && reg_read(dev, offset) != le32(data)) {
      if (mismatch) *mismatch = offset;
      return SCBNN_E_HARDWARE;
    }
    if (kind == SCBNN_RECORD_WRITE) write_bytes(dev, offset, data, length);
    at += 12 + (size_t)(((uint64_t)length + 3) / 4 * 4);
  }
  return SCBNN_OK;
}

int scbnn_load_input(const scbnn_device* dev, const uint8_t* input, size_t count) {
  if (!dev || (!input && count)) return SCBNN_E_ARGUMENT;
  if (count > SCBNN_OUTPUT_WINDOW - SCBNN_INPUT_WINDOW) return SCBNN_E_ARGUMENT;
  write_bytes(dev, SCBNN_INPUT_WINDOW, input, count);
  return SCBNN_OK;
}

void scbnn_start(const scbnn_device* dev) { reg_write(dev, SCBNN_CTRL, SCBNN_CTRL_START); }

int scbnn_done(const scbnn_device* dev) { return (reg_read(dev, SCBNN_IRQ_STATUS) & SCBNN_IRQ_DONE) != 0; }

int scbnn_finish(const scbnn_device* dev, scbnn_result* result, int32_t* scores, uint32_t classes) {
  uint32_t status, c;
  scbnn_result local;
  if (!dev) return SCBNN_E_ARGUMENT;
  if (!result) result = &local;
  status = reg_read(dev, SCBNN_STATUS);
  result->error_code = (status & SCBNN_STATUS_ERROR) ? reg_read(dev, SCBNN_ERROR_CODE) : SCBNN_ERROR_NONE;
  result->predicted_class = reg_read(dev, SCBNN_RESULT);
  result->cycles = (uint64_t)reg_read(dev, SCBNN_CYCLES_LO) | ((uint64_t)reg_read(dev, SCBNN_CYCLES_HI) << 32);
  for (c = 0; scores && c < classes; ++c) scores[c] = (int32_t)reg_read(dev, SCBNN_OUTPUT_WINDOW + 4u * c);
  reg_write(dev, SCBNN_IRQ_STATUS, SCBNN_IRQ_DONE);
  return (status & SCBNN_STATUS_ERROR) ? SCBNN_E_RUN : SCBNN_OK;
}

int scbnn_classify(const scbnn_device* dev, const uint8_t* input, size_t count, scbnn_result* result, int32_t* scores,
                   uint32_t classes) {
  const int loaded = scbnn_load_input(dev, input, count);
  if (loaded != SCBNN_OK) return loaded;
  scbnn_start(dev);
  while (!scbnn_done(dev)) {
  }
  return scbnn_finish(dev, result, scores, classes);
}
