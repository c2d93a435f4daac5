/* A small portable C99 driver for the scbnn accelerators (docs/registers.md, "C driver"):
 * program a network from a program image, classify an image by polling or by interrupt,
 * clear the interrupt. All bus accesses go through a scbnn_bus_ops table, so the same code
 * runs as bare-metal firmware (scbnn_mmio_bus: volatile loads and stores) and inside the
 * project's own SystemC host model (tests/test_c_driver.cpp), which is how CI exercises it. */
#ifndef SCBNN_DRIVER_SCBNN_DRIVER_H
#define SCBNN_DRIVER_SCBNN_DRIVER_H

#include <stddef.h>
#include <stdint.h>

#include "scbnn/driver/scbnn_regs.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Bus accesses at absolute addresses: 32-bit reads and writes at 4-byte aligned addresses,
 * byte writes anywhere. */
typedef struct scbnn_bus_ops {
  uint32_t (*read32)(void* context, uint64_t address);
  void (*write32)(void* context, uint64_t address, uint32_t value);
  void (*write8)(void* context, uint64_t address, uint8_t value);
} scbnn_bus_ops;

/* Memory-mapped I/O on the CPU the driver runs on (addresses must fit a pointer). */
extern const scbnn_bus_ops scbnn_mmio_bus;

typedef struct scbnn_device {
  const scbnn_bus_ops* bus;
  void* context; /* passed to every bus operation */
  uint64_t base; /* the accelerator's base address */
} scbnn_device;

enum scbnn_status {
  SCBNN_OK = 0,
  SCBNN_E_IMAGE = -1,    /* the program image is malformed */
  SCBNN_E_HARDWARE = -2, /* an expect record failed: another accelerator or array geometry */
  SCBNN_E_RUN = -3,      /* the run ended with STATUS.ERROR; scbnn_result.error_code says why */
  SCBNN_E_ARGUMENT = -4  /* a null pointer or a size the accelerator cannot take */
};

/* Plays a program image (docs/registers.md, "Program images"; `scbnn network image` writes
 * one): checks its expect records against the hardware, then performs its writes. On
 * SCBNN_E_HARDWARE, *mismatch (if not null) receives the offending register's offset. */
int scbnn_program(const scbnn_device* dev, const uint8_t* image, size_t size, uint32_t* mismatch);

/* Writes `count` input bytes (one per input value) to the input window. */
int scbnn_load_input(const scbnn_device* dev, const uint8_t* input, size_t count);

/* CTRL.START. The run ends with IRQ_STATUS.DONE set (and irq high when IRQ_ENABLE is set,
 * which program images do). */
void scbnn_start(const scbnn_device* dev);

/* 1 when the last run has ended (IRQ_STATUS.DONE pending), 0 while it runs. */
int scbnn_done(const scbnn_device* dev);

typedef struct scbnn_result {
  uint32_t predicted_class;
  uint64_t cycles;
  uint32_t error_code; /* ERROR_CODE after a failed run */
} scbnn_result;

/* Reads the result of the run that ended (class, cycles, the first `classes` scores into
 * `scores` if not null) and clears the interrupt. SCBNN_E_RUN after a failed run. */
int scbnn_finish(const scbnn_device* dev, scbnn_result* result, int32_t* scores, uint32_t classes);

/* One classification by polling: load, start, poll scbnn_done, finish. */
int scbnn_classify(const scbnn_device* dev, const uint8_t* input, size_t count, scbnn_result* result, int32_t* scores,
                   uint32_t classes);

#ifdef __cplusplus
}
#endif

#endif /* SCBNN_DRIVER_SCBNN_DRIVER_H */
